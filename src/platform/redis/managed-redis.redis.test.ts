import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/redis.js';
import { ManagedRedis, RedisServerMissingError, RedisStartError, socketPathFor } from './managed-redis.js';
import { checkServerSettings } from './server-checks.js';

const dirs: string[] = [];
const servers: ManagedRedis[] = [];
const clients: Redis[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lp-mr-'));
  dirs.push(dir);
  return join(dir, 'data', 'redis');
}

function managed(dataDir: string, serverBin = 'redis-server'): ManagedRedis {
  const server = new ManagedRedis({ dataDir, serverBin, logger: silentLogger() });
  servers.push(server);
  return server;
}

function client(path: string): Redis {
  const c = new Redis({ path, maxRetriesPerRequest: 1 });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const s of servers.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ManagedRedis', () => {
  it('starts a durable, socket-only redis-server and keeps data across a restart', async () => {
    const dataDir = tempDir();
    const server = managed(dataDir);
    await server.start();
    expect(server.owned).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);

    const redis = client(server.socketPath);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await redis.config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
    expect(await redis.config('GET', 'port')).toEqual(['port', '0']);
    expect(await checkServerSettings(redis)).toEqual([]);
    await redis.set('accepted', 'tip-1');
    redis.disconnect();

    await server.stop();
    expect(server.pid).toBeUndefined();
    expect(existsSync(join(dataDir, 'appendonlydir'))).toBe(true);

    const again = managed(dataDir);
    await again.start();
    expect(await client(again.socketPath).get('accepted')).toBe('tip-1');
  });

  it('restarts the server when it dies, without losing acknowledged writes', async () => {
    const server = managed(tempDir());
    await server.start();
    const redis = new Redis({ path: server.socketPath, maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    clients.push(redis);
    await redis.set('before-crash', '1');
    const firstPid = server.pid;
    process.kill(firstPid!, 'SIGKILL');
    await expect.poll(async () => redis.get('before-crash'), { timeout: 10_000, interval: 100 }).toBe('1');
    expect(server.pid).not.toBe(firstPid);
  });

  it('shares a server another process already runs for the same folder', async () => {
    const dataDir = tempDir();
    const owner = managed(dataDir);
    await owner.start();
    const guest = managed(dataDir);
    await guest.start();
    expect(guest.owned).toBe(false);
    await guest.stop();
    expect(await client(owner.socketPath).ping()).toBe('PONG');
  });

  it('says how to install Redis when the binary is missing', async () => {
    const server = managed(tempDir(), 'redis-server-that-does-not-exist');
    const error = await server.start().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RedisServerMissingError);
    expect((error as Error).message).toMatch(/apt-get install redis-server/);
    expect((error as Error).message).toMatch(/REDIS_URL/);
  });

  it('reports why the server would not start', async () => {
    const server = managed(tempDir(), 'false');
    await expect(server.start()).rejects.toBeInstanceOf(RedisStartError);
  });

  it('refuses a data folder whose socket path would not fit', () => {
    expect(() => socketPathFor(`/tmp/${'x'.repeat(120)}`)).toThrow(/REDIS_DATA_DIR to a shorter path/);
  });
});
