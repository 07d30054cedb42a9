import type { Redis } from 'ioredis';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';

export const THROTTLE = { failures: 5, lockMs: 15 * 60_000 } as const;

/**
 * Counts a failure on each key; a key that reaches the limit is locked until `now + lock` and starts counting
 * afresh. A key already locked is left alone, so trying during a lockout does not extend it. Failures are
 * forgotten when none follows for the length of a lockout. Returns the latest lock end, or 0.
 */
const FAIL = `
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local lock = tonumber(ARGV[3])
local latest = 0
for _, key in ipairs(KEYS) do
  local lockedUntil = tonumber(redis.call('HGET', key, 'until') or '0')
  if lockedUntil <= now then
    if redis.call('HINCRBY', key, 'failures', 1) >= limit then
      lockedUntil = now + lock
      redis.call('HSET', key, 'until', lockedUntil, 'failures', 0)
    end
    redis.call('PEXPIRE', key, lock)
  end
  if lockedUntil > latest then latest = lockedUntil end
end
return latest`;

/**
 * Login failures by account and by client address, each counted on its own: guessing one account's password from
 * many addresses, or many accounts' from one address, both run into a lockout. Only keyed hashes are stored, so
 * the counters keep neither addresses nor the names people typed.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly box: Pick<SealedBox, 'hash'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** When the lockout of this account or this client ends, if either is locked. */
  async lockedUntil(username: string, client: string): Promise<Date | undefined> {
    const ends = await Promise.all(this.keys(username, client).map((key) => this.redis.hget(key, 'until')));
    const latest = Math.max(0, ...ends.map(Number).filter(Number.isFinite));
    return latest > this.now().getTime() ? new Date(latest) : undefined;
  }

  /** Counts a failure; the end of the lockout when this (or an earlier) failure caused one. */
  async fail(username: string, client: string): Promise<Date | undefined> {
    const now = this.now().getTime();
    const latest = Number(await this.redis.eval(FAIL, 2, ...this.keys(username, client), now, THROTTLE.failures, THROTTLE.lockMs));
    return latest > now ? new Date(latest) : undefined;
  }

  /** A successful login clears the account's count; the address keeps its own, or one good account would reset it. */
  async succeed(username: string): Promise<void> {
    await this.redis.del(this.accountKey(username));
  }

  private accountKey(username: string): string {
    return `${this.prefix}:console:login-failures:${this.box.hash('console-login-user', username)}`;
  }

  private keys(username: string, client: string): [string, string] {
    return [this.accountKey(username), `${this.prefix}:console:login-failures:${this.box.hash('console-login-client', client)}`];
  }
}
