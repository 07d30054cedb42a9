import type { Redis } from 'ioredis';
import type { AuditLog } from '../audit/audit-log.js';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import { hashPassword } from './password.js';
import { newUserSchema, userRecordSchema, type NewUser, type UserRecord, type UserSummary } from './schemas.js';

export const accountKeys = (prefix: string) => ({
  user: (username: string) => `${prefix}:accounts:user:${username}`,
  index: `${prefix}:accounts:users`,
});

export class UserExistsError extends Error {
  readonly code = 'USER_EXISTS';
  constructor(readonly username: string) {
    super(`User "${username}" already exists.`);
  }
}

export class UserNotFoundError extends Error {
  readonly code = 'USER_NOT_FOUND';
  constructor(readonly username: string) {
    super(`User "${username}" does not exist.`);
  }
}

/** Creates the hash and adds it to the index in one step, only if the user does not exist yet. */
const CREATE_IF_ABSENT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

/**
 * The sealed TOTP secret lives in the user's hash beside the record but is not part of it: `get` and `list` never
 * return it, so it cannot reach a page or a log by accident.
 */
const TOTP_FIELD = 'totpSecret';

/** Sets a field and `updatedAt` only on a user that exists, so a typo cannot create half an account. */
const SET_ON_USER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local had = redis.call('HEXISTS', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], 'updatedAt', ARGV[3])
return had`;

function summary({ passwordHash: _hash, ...rest }: UserRecord): UserSummary {
  return rest;
}

export class UserStore {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
    /** Only needed for TOTP secrets. */
    private readonly box?: Pick<SealedBox, 'seal' | 'open'>,
  ) {
    this.keys = accountKeys(prefix);
  }

  async add(input: NewUser, actor: string): Promise<UserSummary> {
    const user = newUserSchema.parse(input);
    const at = this.now().toISOString();
    const record: UserRecord = {
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      status: 'active',
      passwordHash: await hashPassword(user.password),
      createdAt: at,
      updatedAt: at,
    };
    const created = await this.redis.eval(
      CREATE_IF_ABSENT,
      2,
      this.keys.user(user.username),
      this.keys.index,
      user.username,
      ...Object.entries(record).flat(),
    );
    if (created !== 1) throw new UserExistsError(user.username);
    await this.audit.record({ actor, action: 'user.created', subject: `user:${user.username}`, details: { role: user.role } });
    return summary(record);
  }

  async get(username: string): Promise<UserRecord | undefined> {
    const raw = await this.redis.hgetall(this.keys.user(username));
    return Object.keys(raw).length === 0 ? undefined : userRecordSchema.parse(raw);
  }

  async list(): Promise<UserSummary[]> {
    const names = (await this.redis.smembers(this.keys.index)).sort();
    const users = await Promise.all(names.map((name) => this.get(name)));
    return users.filter((u): u is UserRecord => u !== undefined).map(summary);
  }

  async disable(username: string, actor: string): Promise<UserSummary> {
    const user = await this.get(username);
    if (!user) throw new UserNotFoundError(username);
    if (user.status !== 'disabled') {
      const updatedAt = this.now().toISOString();
      await this.redis.hset(this.keys.user(username), { status: 'disabled', updatedAt });
      await this.audit.record({ actor, action: 'user.disabled', subject: `user:${username}` });
      return summary({ ...user, status: 'disabled', updatedAt });
    }
    return summary(user);
  }

  /** Enrols (or re-enrols) a TOTP second factor; the previous secret, if any, stops working. */
  async setTotpSecret(username: string, secret: Buffer, actor: string): Promise<void> {
    const sealed = this.sealer().seal(secret, this.totpContext(username));
    const had = await this.redis.eval(SET_ON_USER, 1, this.keys.user(username), TOTP_FIELD, sealed, this.now().toISOString());
    if (had === -1) throw new UserNotFoundError(username);
    await this.audit.record({ actor, action: 'user.totp-enrolled', subject: `user:${username}`, details: { replaced: had === 1 } });
  }

  /** Whether there was a second factor to remove. */
  async removeTotpSecret(username: string, actor: string): Promise<boolean> {
    if (!(await this.get(username))) throw new UserNotFoundError(username);
    const removed = (await this.redis.hdel(this.keys.user(username), TOTP_FIELD)) === 1;
    if (removed) {
      await this.redis.hset(this.keys.user(username), 'updatedAt', this.now().toISOString());
      await this.audit.record({ actor, action: 'user.totp-removed', subject: `user:${username}` });
    }
    return removed;
  }

  async totpSecret(username: string): Promise<Buffer | undefined> {
    const sealed = await this.redis.hget(this.keys.user(username), TOTP_FIELD);
    return sealed === null ? undefined : this.sealer().open(sealed, this.totpContext(username));
  }

  private totpContext(username: string): string {
    return `accounts:totp:${username}`;
  }

  private sealer(): Pick<SealedBox, 'seal' | 'open'> {
    if (!this.box) throw new Error('this UserStore was built without a SealedBox, so it cannot handle TOTP secrets');
    return this.box;
  }
}
