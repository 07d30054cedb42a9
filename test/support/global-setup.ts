import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestProject } from 'vitest/node';
import { answersPing } from '../../src/platform/redis/answers-ping.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testRedisUrl: string;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let child: ChildProcess | undefined;
let dir: string | undefined;

/**
 * Tests talk to a real Redis: TEST_REDIS_URL, else the one on 127.0.0.1:6379, else a throw-away redis-server
 * started here on a free loopback port.
 */
export async function setup(project: TestProject): Promise<void> {
  const wanted = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await answersPing({ url: wanted })) {
    project.provide('testRedisUrl', wanted);
    return;
  }
  if (process.env.TEST_REDIS_URL) throw new Error(`TEST_REDIS_URL=${wanted} does not answer`);
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'lp-test-redis-'));
  child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await answersPing({ url })); i++) await sleep(50);
  if (!(await answersPing({ url }))) throw new Error('no Redis on 127.0.0.1:6379 and redis-server could not be started');
  project.provide('testRedisUrl', url);
}

export async function teardown(): Promise<void> {
  child?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
}
