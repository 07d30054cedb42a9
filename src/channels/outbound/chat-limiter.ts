import type { Redis } from 'ioredis';

/**
 * Generic cell rate algorithm in one round trip: a chat may receive `burst` messages at once, then one every
 * `intervalMs`. Returns 0 when a message may go now (and counts it), else how long to wait. Redis' own clock is used
 * so that workers on several machines agree.
 */
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = interval * (tonumber(ARGV[2]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait > 0 then return wait end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(tat + interval - now + tolerance))
return 0`;

export interface RateRule {
  /** Messages per minute for one chat. */
  perMinute: number;
  burst: number;
}

export class ChatRateLimiter {
  constructor(private readonly redis: Redis) {}

  /** Milliseconds to wait before this chat may receive a message; 0 means the message was counted and may go. */
  async take(key: string, rule: RateRule): Promise<number> {
    const intervalMs = Math.ceil(60_000 / rule.perMinute);
    return Number(await this.redis.eval(GCRA, 1, key, intervalMs, Math.max(1, rule.burst)));
  }
}
