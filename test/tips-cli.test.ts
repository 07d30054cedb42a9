import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.js';
import { Outbox } from '../src/channels/outbound/outbox.js';
import { loadConfig } from '../src/platform/config.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { createTranslator } from '../src/platform/i18n.js';
import { Datastore } from '../src/platform/redis/datastore.js';
import { assembleTips } from '../src/tips/assemble.js';
import type { Tips } from '../src/tips/tips.js';
import { runCli, RUNS_CLI } from './support/cli.js';
import { deleteKeys, silentLogger, testPrefix, testRedisUrl } from './support/redis.js';

const DAY_MS = 24 * 3600 * 1000;
const police = { name: 'cs.hung', role: 'police' } as const;
let env: NodeJS.ProcessEnv;
let store: Datastore;
let outbox: Outbox;
let tips: Tips;
const clock = { now: new Date() };

beforeEach(async () => {
  env = {
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: testPrefix(),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    HMAC_SECRET: randomBytes(32).toString('base64'),
    DEFAULT_LOCALE: 'en',
    LOG_LEVEL: 'error',
  };
  const config = loadConfig(env);
  store = await Datastore.open(config, silentLogger());
  const box = new SealedBox(loadKeyring(config.secrets, silentLogger()));
  outbox = new Outbox(store.redis, store.prefix, box, store.connect('worker'));
  tips = assembleTips({ datastore: store, box, audit: new AuditLog(store.redis, store.prefix), outbox, translator: await createTranslator('vi'), now: () => clock.now });
});

afterEach(async () => {
  await tips.close();
  await outbox.close();
  await deleteKeys(store.redis, store.prefix);
  await store.close();
});

/** A tip finished `daysAgo` days ago (or still open), from a chat of its own. */
async function finished(daysAgo: number | undefined): Promise<string> {
  clock.now = new Date(Date.now() - (daysAgo ?? 0) * DAY_MS);
  const { id } = await tips.submit(
    { category: 'use-place', where: 'khu tập thể', what: `Có người tụ tập sử dụng ma túy ${randomBytes(3).toString('hex')}` },
    { kind: 'chat', platform: 'telegram', chatId: randomBytes(6).toString('hex'), locale: 'vi' },
  );
  if (daysAgo !== undefined) await tips.change(id, { status: 'closed' }, police);
  clock.now = new Date();
  return id;
}

const remaining = async () => (await tips.list(police)).map((r) => r.id).sort();

describe('loaphuong tips purge', RUNS_CLI, () => {
  it('purges tips finished longer ago than asked, or than TIP_RETENTION_DAYS', async () => {
    const old = await finished(40);
    const recent = await finished(10);
    const open = await finished(undefined);

    expect(await runCli(['tips', 'purge', '--days', '30'], env)).toEqual({
      code: 0,
      stdout: 'Finished tips purged: 1 (finished more than 30 days ago). The audit trail keeps that they existed.\n',
      stderr: '',
    });
    expect(await remaining()).toEqual([recent, open].sort());
    const trail = await new AuditLog(store.redis, store.prefix).latest(100);
    expect(trail.filter((e) => e.action === 'tip.purged').map((e) => [e.actor, e.subject])).toEqual([['retention', `tip:${old}`]]);

    const vi = await runCli(['tips', 'purge'], { ...env, DEFAULT_LOCALE: 'vi', TIP_RETENTION_DAYS: '7' });
    expect(vi).toMatchObject({ code: 0, stdout: 'Số tố giác đã kết thúc được xóa: 1 (kết thúc hơn 7 ngày trước). Nhật ký kiểm tra vẫn ghi lại rằng chúng từng tồn tại.\n' });
    expect(await remaining()).toEqual([open]);
  });

  it('refuses a number of days that is not a whole number of at least 1, purging nothing', async () => {
    const old = await finished(400);
    for (const days of ['0', '-3', '1.5', 'abc']) {
      expect(await runCli(['tips', 'purge', '--days', days], env), days).toEqual({ code: 1, stdout: '', stderr: 'Error: --days: expected a whole number of days, at least 1, e.g. 180\n' });
    }
    expect(await remaining()).toEqual([old]);
  });
});
