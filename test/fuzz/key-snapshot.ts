import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { queuePrefix } from '../../src/platform/redis/queue-options.js';
import { keysUnder } from '../support/stored.js';

/** Keys a refused request may still change, each with the reason it may. */
export interface AllowedWrite {
  /** Matched against the key with the service's prefix and its colon removed. */
  pattern: RegExp;
  why: string;
}

/**
 * Keys that change with no request at all: BullMQ's own bookkeeping, which its workers rewrite on timers (the
 * stalled-jobs check, promoting delayed jobs) and with every job they move; and the jobs the service's schedulers
 * add on their own clock (the daily milestone check, the tip retention sweep). A job a request adds to any other
 * queue still shows, as a key of its own.
 */
export const BACKGROUND_WRITES: readonly AllowedWrite[] = [
  { pattern: /^q:[^:]+:(stalled-check|stalled|events|meta|metrics:.*|limiter|pc|marker|de:.*|delayed)$/, why: "BullMQ's own bookkeeping, rewritten by its workers on timers" },
  { pattern: /^q:(milestones:.*|tips:repeat.*)$/, why: 'jobs the schedulers add on their own clock' },
];

/** What is under a prefix: every key, whether it expires, and outside the queues a digest of its value, so an update shows too. */
export type KeySnapshot = Map<string, { digest: string; expires: boolean }>;

export async function snapshotKeys(redis: Redis, prefix: string): Promise<KeySnapshot> {
  const keys = (await keysUnder(redis, prefix)).sort();
  const queueKeys = `${queuePrefix(prefix)}:`;
  const pipeline = redis.pipeline();
  for (const key of keys) {
    pipeline.pttl(key);
    if (key.startsWith(queueKeys)) pipeline.exists(key);
    else pipeline.dumpBuffer(key);
  }
  const results = (await pipeline.exec()) ?? [];
  const snapshot: KeySnapshot = new Map();
  keys.forEach((key, i) => {
    const [ttlError, ttl] = results[2 * i] ?? [];
    const [valueError, value] = results[2 * i + 1] ?? [];
    // A key that expired between the scan and the read is as good as gone.
    if (ttlError || valueError || ttl === -2 || !value) return;
    const digest = Buffer.isBuffer(value) ? createHash('sha256').update(value).digest('hex') : '';
    snapshot.set(key.slice(prefix.length + 1), { digest, expires: (ttl as number) >= 0 });
  });
  return snapshot;
}

/** Keys added, changed or deleted between two snapshots, except those allowed to change and those that expired. */
export function unexpectedWrites(before: KeySnapshot, after: KeySnapshot, allowed: readonly AllowedWrite[]): string[] {
  const permitted = (key: string) => [...BACKGROUND_WRITES, ...allowed].some((rule) => rule.pattern.test(key));
  const changed: string[] = [];
  for (const [key, { digest }] of after) {
    if (permitted(key)) continue;
    if (!before.has(key)) changed.push(`added ${key}`);
    else if (before.get(key)!.digest !== digest) changed.push(`changed ${key}`);
  }
  for (const [key, { expires }] of before) if (!after.has(key) && !expires && !permitted(key)) changed.push(`deleted ${key}`);
  return changed;
}
