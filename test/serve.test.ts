import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/platform/paths.js';

const started: Array<{ child: ChildProcess; dir: string }> = [];
afterEach(async () => {
  for (const { child, dir } of started.splice(0)) {
    // A graceful stop also stops the service's redis-server, which runs in a process group of its own.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Starts `loaphuong serve` exactly as the demo does: no REDIS_URL, so it runs its own redis-server. */
async function serve(): Promise<{ child: ChildProcess; url: string; dir: string; dataDir: string; logs: Array<Record<string, any>> }> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-serve-'));
  const dataDir = join(dir, 'redis');
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot, 'src', 'cli', 'main.ts'), 'serve'], {
    cwd: packageRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', REDIS_DATA_DIR: dataDir, SECRETS_FILE: join(dir, 'secrets', 'keys.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push({ child, dir });
  const logs: Array<Record<string, any>> = [];
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'listening') resolve(String(entry.url));
    });
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
  });
  return { child, url, dir, dataDir, logs };
}

describe('loaphuong serve', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('starts on the demo defaults and stops cleanly on %s', async (signal) => {
    const { child, url, dir, dataDir, logs } = await serve();
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'alive' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(existsSync(join(dataDir, 'redis.sock'))).toBe(true);
    // The managed server is set up as BullMQ and durability need, so the only warning is about the new keys.
    expect(logs.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([expect.stringMatching(/^created new encryption and HMAC keys/)]);
    expect(existsSync(join(dir, 'secrets', 'keys.json'))).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'managed redis-server stopped', 'stopped']));
    expect(existsSync(join(dataDir, 'redis.sock'))).toBe(false);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
