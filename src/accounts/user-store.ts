import type { Redis } from 'ioredis';
import type { AuditLog } from '../audit/audit-log.js';
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
}
