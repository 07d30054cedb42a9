import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, testPrefix, testRedis } from '../../test/support/redis.js';
import { AuditLog, auditKeys } from './audit-log.js';

const redis = testRedis();
let prefix: string;
let clock: Date;
let audit: AuditLog;

beforeEach(() => {
  prefix = testPrefix();
  clock = new Date('2026-06-26T01:00:00Z');
  audit = new AuditLog(redis, prefix, () => clock);
});
afterEach(() => deleteKeys(redis, prefix));
afterAll(() => redis.quit());

describe('AuditLog', () => {
  it('records entries with the time of its clock, newest first in latest', async () => {
    const first = await audit.record({ actor: 'lan', action: 'user.created', subject: 'user:minh', details: { role: 'staff' } });
    clock = new Date('2026-06-26T02:00:00Z');
    await audit.record({ actor: 'hung', action: 'tip.claimed', subject: 'tip:T1' });

    const latest = await audit.latest(10);
    expect(latest.map((e) => [e.action, e.at])).toEqual([
      ['tip.claimed', '2026-06-26T02:00:00.000Z'],
      ['user.created', '2026-06-26T01:00:00.000Z'],
    ]);
    expect(latest[1]).toEqual({ id: first, at: '2026-06-26T01:00:00.000Z', actor: 'lan', action: 'user.created', subject: 'user:minh', details: { role: 'staff' } });
  });

  it('refuses an action that is not a dotted name, recording nothing', async () => {
    await expect(audit.record({ actor: 'lan', action: 'Created', subject: 'user:minh' })).rejects.toThrow(/dotted action name/);
    expect(await audit.latest(10)).toEqual([]);
  });

  it('finds every entry of the actions asked for, in the order recorded, and none of the others', async () => {
    const recorded: string[] = [];
    for (let i = 0; i < 30; i++) {
      // The clock runs backwards now and then (a fake clock, a corrected server time): the order is still the stream's.
      clock = new Date(Date.parse('2026-06-26T00:00:00Z') + ((i * 7) % 11) * 60_000);
      const action = ['tip.replied', 'tip.claimed', 'tip.purged'][i % 3]!;
      const id = await audit.record({ actor: 'hung', action, subject: `tip:T${i}`, details: { n: i } });
      if (action !== 'tip.claimed') recorded.push(id);
    }

    const found = await audit.withActions(['tip.purged', 'tip.replied', 'tip.purged']);
    expect(found.map((e) => e.id)).toEqual(recorded);
    expect(found.map((e) => e.details.n)).toEqual(Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 3 !== 1));
    expect(await audit.withActions(['user.created'])).toEqual([]);
  });

  it("finds every entry about a subject, however many entries about others came after", async () => {
    const first = await audit.record({ actor: 'hung', action: 'tip.claimed', subject: 'tip:T1' });
    for (let i = 0; i < 50; i++) await audit.record({ actor: 'lan', action: 'group.approved', subject: `group:G${i}` });
    const second = await audit.record({ actor: 'hung', action: 'tip.replied', subject: 'tip:T1', details: { toChat: true } });
    await audit.record({ actor: 'hung', action: 'tip.claimed', subject: 'tip:T10' });

    expect((await audit.about('tip:T1')).map((e) => [e.id, e.action])).toEqual([
      [first, 'tip.claimed'],
      [second, 'tip.replied'],
    ]);
    expect(await audit.about('tip:T2')).toEqual([]);
  });

  it('indexes, once, the entries recorded before the indexes existed, alongside the new ones', async () => {
    const keys = auditKeys(prefix);
    // As the stream held them before the per-action index: written without it.
    const old = [];
    for (let i = 0; i < 3; i++) {
      old.push(await redis.xadd(keys.stream, '*', 'at', `2026-06-0${i + 1}T00:00:00.000Z`, 'actor', 'hung', 'action', 'tip.replied', 'subject', `tip:O${i}`, 'details', '{}'));
    }
    const fresh = await audit.record({ actor: 'hung', action: 'tip.replied', subject: 'tip:N1' });

    expect((await audit.withActions(['tip.replied'])).map((e) => e.id)).toEqual([...old, fresh]);
    expect(await redis.exists(keys.indexBuilt)).toBe(1);
    expect(await redis.zcard(keys.byAction('tip.replied'))).toBe(4);
    expect((await audit.about('tip:O1')).map((e) => e.id)).toEqual([old[1]]);

    // Once marked, the stream is not walked again: an entry slipped in without the index stays out of it.
    await redis.xadd(keys.stream, '*', 'at', '2026-06-27T00:00:00.000Z', 'actor', 'hung', 'action', 'tip.replied', 'subject', 'tip:X', 'details', '{}');
    expect((await audit.withActions(['tip.replied'])).map((e) => e.subject)).toEqual(['tip:O0', 'tip:O1', 'tip:O2', 'tip:N1']);
  });

  it('skips an indexed entry whose stream entry is gone', async () => {
    const kept = await audit.record({ actor: 'hung', action: 'tip.purged', subject: 'tip:T1' });
    const gone = await audit.record({ actor: 'hung', action: 'tip.purged', subject: 'tip:T2' });
    await redis.xdel(auditKeys(prefix).stream, gone);
    expect((await audit.withActions(['tip.purged'])).map((e) => e.id)).toEqual([kept]);
  });
});
