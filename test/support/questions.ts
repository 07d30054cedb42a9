import type { Actor } from '../../src/accounts/actor.js';
import type { AuditLog } from '../../src/audit/audit-log.js';
import type { Outbox } from '../../src/channels/outbound/outbox.js';
import type { Config } from '../../src/platform/config.js';
import type { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { createTranslator, type Translator } from '../../src/platform/i18n.js';
import type { Datastore } from '../../src/platform/redis/datastore.js';
import { assembleQuestions } from '../../src/questions/assemble.js';
import type { Questions } from '../../src/questions/questions.js';
import { closeModuleParts, openModuleParts, testConfig } from './module-parts.js';

export const staffMember: Actor = { name: 'lan.staff', role: 'staff' };
export const admin: Actor = { name: 'quan.tri', role: 'admin' };
export const police: Actor = { name: 'cs.hung', role: 'police' };
export const approver: Actor = { name: 'minh.duyet', role: 'approver' };

export interface QuestionHarness {
  questions: Questions;
  outbox: Outbox;
  audit: AuditLog;
  box: SealedBox;
  store: Datastore;
  config: Config;
  translator: Translator;
  clock: { now: Date };
  close(): Promise<void>;
}

/** The questions module on the test Redis under a prefix of its own, with a real outbox, a settable clock and no workers. */
export async function questionHarness(env: NodeJS.ProcessEnv = {}): Promise<QuestionHarness> {
  const config = testConfig(env);
  const { store, box, outbox, audit } = await openModuleParts(config);
  const translator = await createTranslator('vi');
  const clock = { now: new Date('2026-06-01T01:00:00.000Z') };
  const questions = assembleQuestions({ datastore: store, box, audit, outbox, translator, now: () => clock.now, timeZone: config.timeZone });
  return {
    questions,
    outbox,
    audit,
    box,
    store,
    config,
    translator,
    clock,
    async close() {
      await questions.shutdown();
      await closeModuleParts({ store, outbox });
    },
  };
}
