import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/redis.js';
import { ManagedRedis } from './managed-redis.js';
import { checkServerSettings } from './server-checks.js';

// A server of its own: these checks change server-wide settings that other tests must not see.
const dir = mkdtempSync(join(tmpdir(), 'lp-checks-'));
const server = new ManagedRedis({ dataDir: join(dir, 'redis'), serverBin: 'redis-server', logger: silentLogger() });
let redis: Redis;

beforeAll(async () => {
  await server.start();
  redis = new Redis({ path: server.socketPath });
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('checkServerSettings', () => {
  it('warns about an eviction policy and missing persistence, and is quiet when both are right', async () => {
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await redis.config('SET', 'appendonly', 'no');
    const findings = await checkServerSettings(redis);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/maxmemory-policy is "allkeys-lru".*noeviction/);
    expect(findings[1]).toMatch(/persistence is off/);

    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.config('SET', 'save', '3600 1');
    expect(await checkServerSettings(redis)).toEqual([expect.stringMatching(/only RDB snapshots/)]);

    await redis.config('SET', 'appendonly', 'yes');
    expect(await checkServerSettings(redis)).toEqual([]);
  });
});
