import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, testPrefix, testRedis } from '../../../test/support/redis.js';
import { everythingStored } from '../../../test/support/stored.js';
import { UserStore } from '../../accounts/user-store.js';
import { AuditLog } from '../../audit/audit-log.js';
import { SealedBox, SealError } from '../../platform/crypto/sealed-box.js';
import { LoginThrottle, THROTTLE } from './login-throttle.js';
import { SESSION_LIMITS, Sessions } from './sessions.js';
import { TotpReplayGuard } from './totp-replay.js';

const redis = testRedis();
let prefix: string;
let box: SealedBox;
let users: UserStore;
let clock: Date;
const now = () => clock;
const minutes = (n: number) => n * 60_000;
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

function newBox(): SealedBox {
  const key = randomBytes(32);
  return new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey: randomBytes(32) });
}

beforeEach(async () => {
  prefix = testPrefix();
  box = newBox();
  clock = new Date('2026-06-01T01:00:00Z');
  users = new UserStore(redis, prefix, new AuditLog(redis, prefix), now, box);
  await users.add({ username: 'lan.tran', displayName: 'Trần Thị Lan', role: 'staff', password: 'mật khẩu đủ dài' }, 'test');
});
afterEach(() => deleteKeys(redis, prefix));
afterAll(() => redis.quit());

describe('Sessions', () => {
  it('stores only a hash of the id and finds the user with a CSRF token', async () => {
    const sessions = new Sessions(redis, prefix, box, users, now);
    const id = await sessions.create('lan.tran');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await everythingStored(redis, prefix)).not.toContain(id);
    const signedIn = await sessions.find(id);
    expect(signedIn).toEqual({ username: 'lan.tran', displayName: 'Trần Thị Lan', role: 'staff', csrf: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(await sessions.create('lan.tran')).not.toBe(id);
    expect(await new Sessions(redis, prefix, newBox(), users, now).find(id)).toBeUndefined();
    for (const wrong of ['', 'short', `${id}x`, id.slice(1)]) expect(await sessions.find(wrong)).toBeUndefined();
  });

  it('ends after 30 idle minutes, and activity keeps it alive', async () => {
    const sessions = new Sessions(redis, prefix, box, users, now);
    const id = await sessions.create('lan.tran');
    advance(SESSION_LIMITS.idleMs - 1000);
    expect(await sessions.find(id)).toBeDefined();
    advance(SESSION_LIMITS.idleMs - 1000);
    expect(await sessions.find(id)).toBeDefined();
    // Redis forgets it on its own too, no later than the idle timeout.
    expect(await redis.pttl((await redis.keys(`${prefix}:console:session:*`))[0]!)).toBeLessThanOrEqual(SESSION_LIMITS.idleMs);
    advance(SESSION_LIMITS.idleMs);
    expect(await sessions.find(id)).toBeUndefined();
    expect(await redis.keys(`${prefix}:console:session:*`)).toEqual([]);
  });

  it('ends 12 hours after the login however active it was', async () => {
    const sessions = new Sessions(redis, prefix, box, users, now);
    const id = await sessions.create('lan.tran');
    while (clock.getTime() + minutes(20) < new Date('2026-06-01T01:00:00Z').getTime() + SESSION_LIMITS.absoluteMs) {
      advance(minutes(20));
      expect(await sessions.find(id)).toBeDefined();
    }
    advance(minutes(20));
    expect(await sessions.find(id)).toBeUndefined();
  });

  it('ends at logout, once', async () => {
    const sessions = new Sessions(redis, prefix, box, users, now);
    const id = await sessions.create('lan.tran');
    const other = await sessions.create('lan.tran');
    expect(await sessions.end(id)).toBe(true);
    expect(await sessions.find(id)).toBeUndefined();
    expect(await sessions.end(id)).toBe(false);
    expect(await sessions.find(other)).toBeDefined();
  });

  it("ends every session of a disabled account at its next request, and follows a user's current record", async () => {
    const sessions = new Sessions(redis, prefix, box, users, now);
    const id = await sessions.create('lan.tran');
    await redis.hset(`${prefix}:accounts:user:lan.tran`, 'role', 'approver');
    expect((await sessions.find(id))?.role).toBe('approver');
    await users.disable('lan.tran', 'test');
    expect(await sessions.find(id)).toBeUndefined();
    expect(await redis.keys(`${prefix}:console:session:*`)).toEqual([]);
  });
});

describe('LoginThrottle', () => {
  it('locks an account out for 15 minutes after 5 failures, from any address', async () => {
    const throttle = new LoginThrottle(redis, prefix, box, now);
    for (let i = 1; i < THROTTLE.failures; i++) expect(await throttle.fail('lan.tran', `10.0.0.${i}`)).toBeUndefined();
    expect(await throttle.lockedUntil('lan.tran', '10.0.0.99')).toBeUndefined();
    const until = await throttle.fail('lan.tran', '10.0.0.5');
    expect(until).toEqual(new Date(clock.getTime() + THROTTLE.lockMs));
    expect(await throttle.lockedUntil('lan.tran', '10.0.0.99')).toEqual(until);
    expect(await throttle.lockedUntil('minh.duyet', '10.0.0.99')).toBeUndefined();
    // Failing again while locked does not push the end further.
    advance(minutes(10));
    expect(await throttle.fail('lan.tran', '10.0.0.6')).toEqual(until);
    advance(minutes(5));
    expect(await throttle.lockedUntil('lan.tran', '10.0.0.99')).toBeUndefined();
    expect(await throttle.fail('lan.tran', '10.0.0.7')).toBeUndefined();
  });

  it('locks one address out whatever usernames it tries, and stores neither', async () => {
    const throttle = new LoginThrottle(redis, prefix, box, now);
    for (let i = 1; i < THROTTLE.failures; i++) await throttle.fail(`guess-${i}`, '203.0.113.7');
    expect(await throttle.fail('guess-5', '203.0.113.7')).toBeDefined();
    expect(await throttle.lockedUntil('lan.tran', '203.0.113.7')).toBeDefined();
    expect(await throttle.lockedUntil('lan.tran', '203.0.113.8')).toBeUndefined();
    const stored = await everythingStored(redis, prefix);
    expect(stored).not.toContain('203.0.113');
    expect(stored).not.toContain('guess');
  });

  it("clears an account's count at a successful login but not the address's", async () => {
    const throttle = new LoginThrottle(redis, prefix, box, now);
    for (let i = 1; i < THROTTLE.failures; i++) await throttle.fail('lan.tran', '10.0.0.1');
    await throttle.succeed('lan.tran');
    expect(await throttle.fail('lan.tran', '10.0.0.2')).toBeUndefined();
    expect(await throttle.fail('minh.duyet', '10.0.0.1')).toBeDefined();
  });
});

describe('TotpReplayGuard', () => {
  it('accepts each step once and never an earlier one, per user', async () => {
    const guard = new TotpReplayGuard(redis, prefix);
    expect(await guard.claim('lan.tran', 100)).toBe(true);
    expect(await guard.claim('lan.tran', 100)).toBe(false);
    expect(await guard.claim('lan.tran', 99)).toBe(false);
    expect(await guard.claim('minh.duyet', 100)).toBe(true);
    expect(await guard.claim('lan.tran', 101)).toBe(true);
    expect(await guard.claim('lan.tran', 101)).toBe(false);
    const claims = await Promise.all(Array.from({ length: 10 }, () => guard.claim('hoa', 5)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});

describe('UserStore TOTP secrets', () => {
  it('keeps the secret sealed, out of the user record, and audits enrolment and removal', async () => {
    const secret = randomBytes(20);
    await users.setTotpSecret('lan.tran', secret, 'cli:root');
    expect(await users.totpSecret('lan.tran')).toEqual(secret);
    expect(await users.get('lan.tran')).not.toHaveProperty('totpSecret');
    const stored = await everythingStored(redis, prefix);
    expect(stored).not.toContain(secret.toString('hex'));
    expect(stored).not.toContain(secret.toString('base64'));
    await expect(new UserStore(redis, prefix, new AuditLog(redis, prefix), now, newBox()).totpSecret('lan.tran')).rejects.toBeInstanceOf(SealError);

    const replacement = randomBytes(20);
    await users.setTotpSecret('lan.tran', replacement, 'cli:root');
    expect(await users.totpSecret('lan.tran')).toEqual(replacement);
    expect(await users.removeTotpSecret('lan.tran', 'cli:admin')).toBe(true);
    expect(await users.totpSecret('lan.tran')).toBeUndefined();
    expect(await users.removeTotpSecret('lan.tran', 'cli:admin')).toBe(false);
    const audit = await new AuditLog(redis, prefix).latest(3);
    expect(audit.map((e) => [e.action, e.subject, e.details])).toEqual([
      ['user.totp-removed', 'user:lan.tran', {}],
      ['user.totp-enrolled', 'user:lan.tran', { replaced: true }],
      ['user.totp-enrolled', 'user:lan.tran', { replaced: false }],
    ]);
  });

  it('refuses unknown users without creating them', async () => {
    await expect(users.setTotpSecret('ghost', randomBytes(20), 'cli:root')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    await expect(users.removeTotpSecret('ghost', 'cli:root')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(await redis.exists(`${prefix}:accounts:user:ghost`)).toBe(0);
  });
});
