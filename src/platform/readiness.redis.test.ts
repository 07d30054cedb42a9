import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, testPrefix } from '../../test/support/redis.js';
import { loadConfig } from './config.js';
import { createApp } from './http/app.js';
import { listen, type Listening } from './http/server.js';
import { Readiness, redisProbe, workersProbe } from './readiness.js';
import { Datastore } from './redis/datastore.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function readyz(http: Listening): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const res = await fetch(`http://127.0.0.1:${http.port}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
}

describe('/readyz against the managed Redis', () => {
  it('turns red while Redis is down and green again once it is back, with accepted data intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-ready-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({ REDIS_DATA_DIR: join(dir, 'redis'), REDIS_PREFIX: testPrefix() });
    const store = await Datastore.open(config, silentLogger());
    cleanups.push(() => store.close());

    const queueName = 'readiness-probe';
    const connection = store.connect('worker');
    const worker = new Worker(queueName, async () => 'done', { connection, prefix: `${store.prefix}:q` });
    cleanups.push(() => worker.close());
    const readiness = new Readiness();
    readiness.add('redis', redisProbe(store.redis));
    readiness.add('workers', workersProbe(() => [worker]));
    const http = await listen(createApp({ readiness, logger: silentLogger() }), '127.0.0.1', 0);
    cleanups.push(() => http.close());

    expect(await readyz(http)).toEqual({ status: 200, body: { status: 'ready', checks: { redis: 'ok', workers: 'ok' } } });
    await store.redis.set(`${store.prefix}:accepted`, 'yes');
    const health = await fetch(`http://127.0.0.1:${http.port}/healthz`);
    expect(health.status).toBe(200);

    await store.managedServer!.stop();
    await expect.poll(async () => (await readyz(http)).status, { timeout: 5_000, interval: 50 }).toBe(503);
    expect((await readyz(http)).body.checks.redis).not.toBe('ok');
    expect((await fetch(`http://127.0.0.1:${http.port}/healthz`)).status).toBe(200);

    await store.managedServer!.start();
    await expect.poll(async () => (await readyz(http)).status, { timeout: 15_000, interval: 100 }).toBe(200);
    expect(await store.redis.get(`${store.prefix}:accepted`)).toBe('yes');

    // The worker's connection came back too: a job enqueued now completes.
    const queue = new Queue(queueName, { connection: store.connect('command'), prefix: `${store.prefix}:q` });
    cleanups.push(() => queue.close());
    const job = await queue.add('probe', {});
    await expect.poll(async () => (await job.getState()) ?? 'unknown', { timeout: 10_000 }).toBe('completed');

    await worker.close();
    const afterClose = await readyz(http);
    expect(afterClose.status).toBe(503);
    expect(afterClose.body.checks.workers).toBe('not running: readiness-probe');
  });
});
