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

// Kept apart from vitest's `inject`, so benchmarks run outside vitest can use it too.
export { deleteKeys } from './keys.js';
