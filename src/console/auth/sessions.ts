import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { usernameSchema, type Role } from '../../accounts/schemas.js';
import type { UserStore } from '../../accounts/user-store.js';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { COOKIE_VALUE } from './cookies.js';
import { newCsrfSecret } from './csrf.js';

export const SESSION_LIMITS = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 } as const;

const storedSessionSchema = z.object({
  username: usernameSchema,
  createdAt: z.coerce.number().int(),
  lastSeenAt: z.coerce.number().int(),
  csrf: z.string().min(1),
});

/** Who a live session belongs to, as the account is now (its role may have changed since the login). */
export interface SignedIn {
  username: string;
  displayName: string;
  role: Role;
  /** The session's CSRF token, for the hidden field of every form. */
  csrf: string;
}

/** Moves `lastSeenAt` on, only if the session still exists: a touch racing a logout must not bring it back. */
const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/**
 * Console sessions in Redis. The cookie holds 256 random bits; Redis holds only their keyed hash, so a copy of the
 * database does not let anyone in. A session ends after 30 idle minutes, 12 hours after the login whatever the
 * activity, at logout, and as soon as its account is disabled (checked on every request).
 */
export class Sessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly box: Pick<SealedBox, 'hash'>,
    private readonly users: Pick<UserStore, 'get'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new session for a user who has just proved who they are; its id goes in the cookie and nowhere else. */
  async create(username: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const at = this.now().getTime();
    const key = this.key(id);
    await this.redis.multi().hset(key, { username, createdAt: at, lastSeenAt: at, csrf: newCsrfSecret() }).pexpire(key, SESSION_LIMITS.idleMs).exec();
    return id;
  }

  /** The signed-in user, if the session is live and its account active; counts as activity. */
  async find(id: string): Promise<SignedIn | undefined> {
    if (!COOKIE_VALUE.test(id)) return undefined;
    const key = this.key(id);
    const stored = storedSessionSchema.safeParse(await this.redis.hgetall(key));
    if (!stored.success) return undefined;
    const { username, createdAt, lastSeenAt, csrf } = stored.data;
    const now = this.now().getTime();
    const endsAt = createdAt + SESSION_LIMITS.absoluteMs;
    const user = now - lastSeenAt >= SESSION_LIMITS.idleMs || now >= endsAt ? undefined : await this.users.get(username);
    if (!user || user.status !== 'active') {
      await this.redis.del(key);
      return undefined;
    }
    await this.redis.eval(TOUCH, 1, key, now, Math.min(SESSION_LIMITS.idleMs, endsAt - now));
    return { username, displayName: user.displayName, role: user.role, csrf };
  }

  /** Whether there was a session to end. */
  async end(id: string): Promise<boolean> {
    return COOKIE_VALUE.test(id) && (await this.redis.del(this.key(id))) === 1;
  }

  private key(id: string): string {
    return `${this.prefix}:console:session:${this.box.hash('console-session', id)}`;
  }
}
