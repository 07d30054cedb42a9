import type { AuditLog } from '../audit/audit-log.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import type { Translator } from '../platform/i18n.js';
import type { Datastore } from '../platform/redis/datastore.js';
import { QuestionQueue } from './question-queue.js';
import { QuestionStore } from './question-store.js';
import { DEFAULT_QUESTION_LIMITS, Questions, type QuestionLimits } from './questions.js';

export interface QuestionParts {
  datastore: Datastore;
  box: SealedBox;
  audit: AuditLog;
  outbox: Outbox;
  translator: Translator;
  limits?: QuestionLimits;
  now?: () => Date;
  timeZone: string;
}

/** The questions module on its dependencies, for the service, one-shot commands and tests alike. */
export function assembleQuestions(parts: QuestionParts): Questions {
  const { datastore } = parts;
  return new Questions({
    store: new QuestionStore(datastore.redis, datastore.prefix, parts.box),
    box: parts.box,
    audit: parts.audit,
    outbox: parts.outbox,
    queue: new QuestionQueue(datastore.connect('worker'), datastore.prefix),
    translator: parts.translator,
    limits: parts.limits ?? DEFAULT_QUESTION_LIMITS,
    now: parts.now ?? (() => new Date()),
    timeZone: parts.timeZone,
  });
}
