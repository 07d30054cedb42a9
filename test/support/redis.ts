import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';

export const testRedisUrl = (): string => inject('testRedisUrl');

export const silentLogger = () => createLogger('silent');

/** A unique key prefix per test, so tests can run in any order and in parallel on one Redis. */
export function testPrefix(): string {
  return `lptest-${randomBytes(6).toString('hex')}`;
}

export function testRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
}

/** Deletes every key under the prefix; tests own nothing else. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
