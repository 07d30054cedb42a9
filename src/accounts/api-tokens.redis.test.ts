import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, testPrefix, testRedis } from '../../test/support/redis.js';
import { everythingStored } from '../../test/support/stored.js';
import { AuditLog } from '../audit/audit-log.js';
import { SealedBox } from '../platform/crypto/sealed-box.js';
import { ApiTokens, UserDisabledError } from './api-tokens.js';
import { UserNotFoundError, UserStore } from './user-store.js';

const redis = testRedis();
let prefix: string;
let audit: AuditLog;
let users: UserStore;
let tokens: ApiTokens;

function box(): SealedBox {
  const key = randomBytes(32);
  return new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey: randomBytes(32) });
}

beforeEach(async () => {
  prefix = testPrefix();
  audit = new AuditLog(redis, prefix);
  users = new UserStore(redis, prefix, audit);
  tokens = new ApiTokens(redis, prefix, box(), users, audit);
  await users.add({ username: 'lan.tran', displayName: 'Trần Thị Lan', role: 'staff', password: 'mật khẩu đủ dài' }, 'cli:root');
});
afterEach(() => deleteKeys(redis, prefix));
afterAll(() => redis.quit());

describe('ApiTokens', () => {
  it('issues a long random token that verifies as its user, storing and auditing only its hash', async () => {
    const token = await tokens.issue('lan.tran', 'cli:root');
    expect(token).toMatch(/^lp_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);

    expect(await tokens.verify(token)).toEqual({
      username: 'lan.tran',
      displayName: 'Trần Thị Lan',
      role: 'staff',
      status: 'active',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const [entry] = await audit.latest(1);
    expect([entry!.action, entry!.subject, entry!.actor, entry!.details]).toEqual(['user.api-token-issued', 'user:lan.tran', 'cli:root', { replaced: false }]);

    const stored = await everythingStored(redis, prefix);
    expect(stored).toContain('lan.tran');
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(3));
  });

  it('replaces the previous token when a new one is issued', async () => {
    const first = await tokens.issue('lan.tran', 'cli:root');
    const second = await tokens.issue('lan.tran', 'cli:root');
    expect(second).not.toBe(first);
    expect(await tokens.verify(first)).toBeUndefined();
    expect((await tokens.verify(second))?.username).toBe('lan.tran');
    expect(await redis.hlen(`${prefix}:accounts:api-tokens`)).toBe(1);
    expect((await audit.latest(1))[0]!.details).toEqual({ replaced: true });
  });

  it('revokes a token once and audits only a real revocation', async () => {
    const token = await tokens.issue('lan.tran', 'cli:root');
    expect(await tokens.revoke('lan.tran', 'cli:admin')).toBe(true);
    expect(await tokens.verify(token)).toBeUndefined();
    expect(await tokens.revoke('lan.tran', 'cli:admin')).toBe(false);
    expect((await audit.latest(10)).map((e) => [e.action, e.actor])).toEqual([
      ['user.api-token-revoked', 'cli:admin'],
      ['user.api-token-issued', 'cli:root'],
      ['user.created', 'cli:root'],
    ]);
    expect(await redis.exists(`${prefix}:accounts:api-tokens`, `${prefix}:accounts:api-token-of`)).toBe(0);
  });

  it("stops accepting a disabled user's token at once and issues none to a disabled or unknown user", async () => {
    const token = await tokens.issue('lan.tran', 'cli:root');
    await users.disable('lan.tran', 'cli:root');
    expect(await tokens.verify(token)).toBeUndefined();
    await expect(tokens.issue('lan.tran', 'cli:root')).rejects.toBeInstanceOf(UserDisabledError);
    await expect(tokens.issue('ghost', 'cli:root')).rejects.toBeInstanceOf(UserNotFoundError);
    await expect(tokens.revoke('ghost', 'cli:root')).rejects.toBeInstanceOf(UserNotFoundError);
    expect((await audit.latest(10)).map((e) => e.action)).toEqual(['user.disabled', 'user.api-token-issued', 'user.created']);
  });

  it('refuses malformed tokens, look-alikes and tokens hashed with another key', async () => {
    const token = await tokens.issue('lan.tran', 'cli:root');
    const elsewhere = new ApiTokens(redis, prefix, box(), users, audit);
    expect(await elsewhere.verify(token)).toBeUndefined();
    const lookAlikes = ['', 'lp_', 'lp_short', token.slice(3), `xx_${token.slice(3)}`, `${token} `, `${token}x`, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`];
    for (const wrong of lookAlikes) expect(await tokens.verify(wrong), JSON.stringify(wrong)).toBeUndefined();
    expect((await tokens.verify(token))?.username).toBe('lan.tran');
  });

  it('never issues the same token twice', async () => {
    const issued = new Set<string>();
    for (let i = 0; i < 50; i++) issued.add(await tokens.issue('lan.tran', 'cli:root'));
    expect(issued.size).toBe(50);
  });
});
