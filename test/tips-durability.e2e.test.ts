import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { Actor } from '../src/accounts/actor.js';
import { createTranslator } from '../src/platform/i18n.js';
import { postFrom, type FormReply } from './support/form-post.js';
import { startTestService } from './support/service.js';

const police: Actor = { name: 'officer-lan', role: 'police' };
const CODE_ON_PAGE = /<p class="code"[^>]*>([0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3})<\/p>/;
/** Receipts before the crash, and after it, that make the run say something. */
const RECEIPTS_BEFORE_KILL = 15;
const RECEIPTS_AFTER_KILL = 10;
const SENDERS = 4;
const MAX_ATTEMPTS = 1_000;

/** One loopback address per attempt: each is a sender of its own, so the per-sender limit never gets in the way. */
const addressFor = (n: number) => `127.0.${1 + Math.floor(n / 250)}.${2 + (n % 250)}`;

function tip(n: number): FormData {
  const form = new FormData();
  form.append('category', 'use-place');
  form.append('where', `Ngõ ${n}`);
  form.append('what', `Tố giác số ${n}: có người tụ tập sử dụng ma túy trong nhà kho.`);
  return form;
}

interface Attempt {
  n: number;
  afterKill: boolean;
  reply: FormReply;
  code?: string;
}

it('keeps every tip it gave a receipt for when its redis-server is killed mid-stream, and gives no receipt while it is down', { timeout: 60_000 }, async () => {
  const t = (await createTranslator('vi')).t('vi');
  const dir = mkdtempSync(join(tmpdir(), 'lp-tips-'));
  const service = await startTestService({ REDIS_URL: undefined, REDIS_DATA_DIR: dir });
  try {
    const managed = service.datastore.managedServer!;
    const firstPid = managed.pid!;
    expect(firstPid).toBeGreaterThan(0);
    // The project's own redis-server, in its temporary folder, with every write in the append-only file.
    expect(await service.datastore.redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await service.datastore.redis.config('GET', 'dir')).toEqual(['dir', realpathSync(dir)]);

    const attempts: Attempt[] = [];
    let next = 0;
    let killed = false;
    const receipts = (afterKill: boolean) => attempts.filter((a) => a.code && a.afterKill === afterKill).length;
    const sender = async () => {
      while (next < MAX_ATTEMPTS && !(killed && receipts(true) >= RECEIPTS_AFTER_KILL)) {
        const n = next++;
        const afterKill = killed;
        const reply = await postFrom(addressFor(n), `${service.baseUrl}/to-giac`, tip(n));
        attempts.push({ n, afterKill, reply, code: CODE_ON_PAGE.exec(reply.body)?.[1] });
        if (!killed && receipts(false) >= RECEIPTS_BEFORE_KILL) {
          killed = true;
          process.kill(firstPid, 'SIGKILL');
          // This sender's next tip goes in while the server is down (it is restarted after a pause); the others'
          // tips in flight ride the crash out or are refused.
          await expect.poll(() => service.datastore.redis.status, { interval: 5 }).not.toBe('ready');
        }
        // Someone whose tip was refused tries again a moment later, not in a tight loop.
        if (reply.status !== 200) await sleep(20);
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));

    expect(killed).toBe(true);
    expect(managed.pid).toBeGreaterThan(0);
    expect(managed.pid).not.toBe(firstPid);
    const acknowledged = attempts.filter((a) => a.reply.status === 200);
    const refused = attempts.filter((a) => a.reply.status !== 200);
    expect(receipts(true)).toBeGreaterThanOrEqual(RECEIPTS_AFTER_KILL);
    // The crash was seen: some tips were refused while redis-server was down.
    expect(refused.length).toBeGreaterThan(0);
    for (const attempt of refused) {
      expect(attempt.reply.status, `attempt ${attempt.n}`).toBe(503);
      expect(attempt.code).toBeUndefined();
      expect(attempt.reply.body).toContain(t('tipform:errors.unavailableTip'));
    }
    for (const attempt of acknowledged) expect(attempt.code, `attempt ${attempt.n}`).toBeDefined();

    // Every receipt handed out opens its tip, read back through the status page.
    for (const { code, n } of acknowledged) {
      const res = await fetch(`${service.baseUrl}/to-giac/ma`, { method: 'POST', body: new URLSearchParams({ code: code! }) });
      expect(res.status, `tip ${n}`).toBe(200);
      expect(await res.text()).toContain(t('tips:status.new'));
    }
    const stored = await service.tips.list(police);
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
    const texts = new Set(await Promise.all(stored.map(async (s) => (await service.tips.read(s.id, police)).content.where)));
    for (const { n } of acknowledged) expect(texts.has(`Ngõ ${n}`), `tip ${n}`).toBe(true);
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
