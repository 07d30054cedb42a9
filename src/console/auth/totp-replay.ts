import type { Redis } from 'ioredis';

/** Long enough to outlive every step a code could still be accepted in. */
const KEEP_SECONDS = 120;

/** Accepts the step only if it is later than the last one accepted for the user, in one step. */
const CLAIM = `
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/**
 * Remembers the last time step each user signed in with, so a code is good once: neither the same code again nor
 * an older one still inside the accepted window, even from another process.
 */
export class TotpReplayGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Whether the step was not used yet (and is now). */
  async claim(username: string, step: number): Promise<boolean> {
    return (await this.redis.eval(CLAIM, 1, `${this.prefix}:console:totp-last-step:${username}`, step, KEEP_SECONDS)) === 1;
  }
}
