import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditLog } from '../audit/audit-log.js';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import type { UserSummary } from './schemas.js';
import { UserNotFoundError, type UserStore } from './user-store.js';

/** A recognisable prefix, so a token pasted into the wrong place can be spotted, and 256 random bits after it. */
const TOKEN_PREFIX = 'lp_';
const TOKEN_BYTES = 32;
const TOKEN_FORMAT = /^lp_[A-Za-z0-9_-]{43}$/;
const HASH_PURPOSE = 'api-token';

export class UserDisabledError extends Error {
  readonly code = 'USER_DISABLED';
  constructor(readonly username: string) {
    super(`User "${username}" is disabled.`);
  }
}

export const apiTokenKeys = (prefix: string) => ({
  /** token hash → username */
  byHash: `${prefix}:accounts:api-tokens`,
  /** username → token hash, so a new token replaces the old one */
  byUser: `${prefix}:accounts:api-token-of`,
});

/** Puts the new hash in place of the user's old one in one step; returns 1 when there was an old one. */
const REPLACE = `
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then redis.call('HDEL', KEYS[1], old) end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if old then return 1 end
return 0`;

const REMOVE = `
local old = redis.call('HGET', KEYS[2], ARGV[1])
if not old then return 0 end
redis.call('HDEL', KEYS[1], old)
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`;

/**
 * One API token per user, for scripts and the API until the web console has sessions. Only a keyed hash of a
 * token is stored: a copy of the database does not let anyone call the API, and the token itself is shown once.
 */
export class ApiTokens {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly box: Pick<SealedBox, 'hash'>,
    private readonly users: UserStore,
    private readonly audit: AuditLog,
  ) {
    this.keys = apiTokenKeys(prefix);
  }

  /** A new token for an active user; the user's previous token stops working. */
  async issue(username: string, actor: string): Promise<string> {
    const user = await this.users.get(username);
    if (!user) throw new UserNotFoundError(username);
    if (user.status !== 'active') throw new UserDisabledError(username);
    const token = `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
    const replaced = await this.redis.eval(REPLACE, 2, this.keys.byHash, this.keys.byUser, username, this.hash(token));
    await this.audit.record({ actor, action: 'user.api-token-issued', subject: `user:${username}`, details: { replaced: replaced === 1 } });
    return token;
  }

  /** Whether the user had a token to revoke. */
  async revoke(username: string, actor: string): Promise<boolean> {
    if (!(await this.users.get(username))) throw new UserNotFoundError(username);
    const removed = (await this.redis.eval(REMOVE, 2, this.keys.byHash, this.keys.byUser, username)) === 1;
    if (removed) await this.audit.record({ actor, action: 'user.api-token-revoked', subject: `user:${username}` });
    return removed;
  }

  /** The account a token belongs to, if the token is current and the account active (checked on every call). */
  async verify(token: string): Promise<UserSummary | undefined> {
    if (!TOKEN_FORMAT.test(token)) return undefined;
    const username = await this.redis.hget(this.keys.byHash, this.hash(token));
    const user = username === null ? undefined : await this.users.get(username);
    if (!user || user.status !== 'active') return undefined;
    const { passwordHash: _hash, ...summary } = user;
    return summary;
  }

  private hash(token: string): string {
    return this.box.hash(HASH_PURPOSE, token);
  }
}
