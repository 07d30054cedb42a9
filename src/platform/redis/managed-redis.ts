import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { answersPing } from './answers-ping.js';
import { reconnectDelay } from './client.js';

export class RedisServerMissingError extends Error {
  readonly code = 'REDIS_SERVER_MISSING';
  constructor(bin: string) {
    super(
      `"${bin}" was not found, and REDIS_URL is not set. Install Redis (Debian/Ubuntu: ` +
        '`sudo apt-get install redis-server`; macOS: `brew install redis`), set REDIS_SERVER_BIN to its path, ' +
        'or set REDIS_URL to a Redis you run yourself.',
    );
    this.name = 'RedisServerMissingError';
  }
}

export class RedisStartError extends Error {
  readonly code = 'REDIS_START_FAILED';
  constructor(detail: string) {
    super(`The managed redis-server did not start: ${detail}`);
    this.name = 'RedisStartError';
  }
}

export interface ManagedRedisOptions {
  dataDir: string;
  serverBin: string;
  logger: Logger;
  startTimeoutMs?: number;
}

/** Unix socket paths longer than this do not fit in sockaddr_un on Linux and macOS. */
const MAX_SOCKET_PATH = 100;
const STOP_TIMEOUT_MS = 10_000;

export function socketPathFor(dataDir: string): string {
  const path = join(dataDir, 'redis.sock');
  if (path.length > MAX_SOCKET_PATH) {
    throw new RedisStartError(`the socket path ${path} is too long; set REDIS_DATA_DIR to a shorter path`);
  }
  return path;
}

/**
 * A redis-server child kept under `dataDir`, reachable only through a unix socket (mode 700), with every write
 * appended and fsynced before it is acknowledged. If another Loa Phường process already runs one for the same
 * directory, this one connects to it and leaves its life to the owner.
 */
export class ManagedRedis {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;
  private lastOutput: string[] = [];
  readonly socketPath: string;
  owned = false;

  constructor(private readonly options: ManagedRedisOptions) {
    this.socketPath = socketPathFor(options.dataDir);
  }

  async start(): Promise<void> {
    this.stopping = false;
    mkdirSync(this.options.dataDir, { recursive: true, mode: 0o700 });
    if (await answersPing({ path: this.socketPath })) {
      this.options.logger.info({ dataDir: this.options.dataDir }, 'using the managed redis-server another process runs');
      return;
    }
    if (existsSync(this.socketPath)) rmSync(this.socketPath);
    this.owned = true;
    await this.spawnAndWait();
  }

  private args(): string[] {
    return [
      '--port', '0',
      '--unixsocket', this.socketPath,
      '--unixsocketperm', '700',
      '--dir', this.options.dataDir,
      '--appendonly', 'yes',
      '--appendfsync', 'always',
      '--save', '',
      '--maxmemory-policy', 'noeviction',
      '--daemonize', 'no',
      '--logfile', '',
    ];
  }

  private async spawnAndWait(): Promise<void> {
    // Its own process group, so a Ctrl-C meant for the service does not stop Redis under the workers still
    // finishing their jobs; `stop()` ends it last.
    const child = spawn(this.options.serverBin, this.args(), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    this.lastOutput = [];
    const remember = (chunk: Buffer) => {
      this.lastOutput.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.lastOutput = this.lastOutput.slice(-10);
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);

    let exitedDuringStart: (code: number | null, signal: NodeJS.Signals | null) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'ENOENT' ? new RedisServerMissingError(this.options.serverBin) : new RedisStartError(err.message));
      });
      exitedDuringStart = (code, signal) =>
        reject(new RedisStartError(`exited with ${signal ?? `code ${code}`}: ${this.lastOutput.join(' | ')}`));
      child.once('exit', exitedDuringStart);
    });
    failed.catch(() => undefined);

    const deadline = Date.now() + (this.options.startTimeoutMs ?? 10_000);
    const ready = (async () => {
      while (Date.now() < deadline) {
        if (await answersPing({ path: this.socketPath })) return;
        await sleep(50);
      }
      throw new RedisStartError(`no answer on ${this.socketPath} within the start timeout`);
    })();

    try {
      await Promise.race([ready, failed]);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    child.off('exit', exitedDuringStart);
    child.once('exit', (code, signal) => void this.onUnexpectedExit(code, signal));
    this.options.logger.info({ pid: child.pid, dataDir: this.options.dataDir }, 'managed redis-server started');
  }

  /** Supervision: a crashed server is started again with growing pauses; clients reconnect on their own. */
  private async onUnexpectedExit(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    this.child = undefined;
    if (this.stopping) return;
    const delay = reconnectDelay(this.restarts++);
    this.options.logger.error(
      { code, signal, restartInMs: delay, output: this.lastOutput },
      'managed redis-server exited unexpectedly; restarting',
    );
    await sleep(delay);
    if (this.stopping) return;
    try {
      await this.spawnAndWait();
      this.restarts = 0;
    } catch (err) {
      if (this.stopping) return;
      this.options.logger.error({ err }, 'managed redis-server could not be restarted');
      void this.onUnexpectedExit(null, null);
    }
  }

  /** Asks the server to shut down cleanly (it fsyncs the append-only file), then waits for it to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
    this.options.logger.info('managed redis-server stopped');
  }

  /** For fault tests: the pid of the running server, if this process owns it. */
  get pid(): number | undefined {
    return this.child?.pid;
  }
}
