import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ZALO_SECRET_HEADER, ZALO_WEBHOOK_PATH } from '../../src/channels/zalo-bot/webhook.js';
import { createLogger } from '../../src/platform/logger.js';
import { packageRoot } from '../../src/platform/paths.js';
import { answersPing } from '../../src/platform/redis/answers-ping.js';
import { ManagedRedis } from '../../src/platform/redis/managed-redis.js';
import { ZaloBotFake } from '../fakes/zalo-bot-fake.js';
import { builtCli } from './built-cli.js';
import { jsonLine, spawnNode, type NodeChild } from './child-process.js';

/** Generous: on a loaded two-core machine start-up can take a while. */
const START_TIMEOUT_MS = 60_000;

/** The Node.js flags the Docker image runs the service with, read from the Dockerfile so the two never drift apart. */
function productionNodeOptions(): string {
  const line = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync(join(packageRoot, 'Dockerfile'), 'utf8'));
  if (!line) throw new Error('the Dockerfile sets no NODE_OPTIONS');
  return line[1]!;
}
const REDIS_RESTART_TIMEOUT_MS = 30_000;

/**
 * `loaphuong serve` as an operator runs it (the compiled command, see built-cli.ts), in a child process of its own,
 * so that the load generator in this process does not share its event loop:
 *
 * - Redis is the project's own managed redis-server (src/platform/redis/managed-redis.ts, what `npm run demo` runs when
 *   REDIS_URL is unset) in a temporary folder: append-only file on with `appendfsync always`, so Redis fsyncs a write
 *   before it acknowledges it, and an update the webhook acknowledged has reached the disk. The shared Redis on
 *   127.0.0.1:6379 runs without an append-only file and could not back that claim. This process starts the server
 *   (and can kill it); the service finds it answering on the folder's socket and uses it.
 * - The Zalo Bot API is the local fake (test/fakes/zalo-bot-fake.ts), so nothing leaves the machine.
 * - Updates come in by webhook (`ZALO_BOT_MODE=webhook`) with a secret of the bench's own.
 */
export class BenchService {
  readonly prefix = `lpbench-${randomBytes(4).toString('hex')}`;
  readonly webhookSecret = randomBytes(24).toString('hex');
  /** The service's whole environment; loadConfig(env) gives the same keys, to open what it sealed. */
  readonly env: Record<string, string>;
  readonly fake: ZaloBotFake;
  private child: NodeChild | undefined;
  private worker: NodeChild | undefined;
  private url = '';

  private constructor(
    private readonly dir: string,
    private readonly redis: ManagedRedis,
    fake: ZaloBotFake,
    fakeBase: string,
    extraEnv: Record<string, string>,
  ) {
    this.fake = fake;
    this.env = {
      NODE_ENV: 'production',
      NODE_OPTIONS: productionNodeOptions(),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      REDIS_DATA_DIR: join(dir, 'redis'),
      REDIS_PREFIX: this.prefix,
      SECRETS_FILE: join(dir, 'keys.json'),
      ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      HMAC_SECRET: randomBytes(32).toString('base64'),
      SANDBOX_ENABLED: 'false',
      SHUTDOWN_TIMEOUT_MS: '10000',
      ZALO_BOT_TOKEN: fake.token,
      ZALO_BOT_MODE: 'webhook',
      ZALO_BOT_WEBHOOK_SECRET: this.webhookSecret,
      ZALO_BOT_API_BASE: fakeBase,
      ...extraEnv,
    };
  }

  /** `args`: the command line, `serve` (web and workers in one process) or `serve --no-workers` with `startWorker`. */
  static async start(extraEnv: Record<string, string> = {}, args: readonly string[] = ['serve']): Promise<BenchService> {
    // Short, because the Redis socket path must fit in sockaddr_un.
    const dir = mkdtempSync(join(tmpdir(), 'lpb-'));
    const redis = new ManagedRedis({ dataDir: join(dir, 'redis'), serverBin: 'redis-server', logger: createLogger('silent') });
    const fake = new ZaloBotFake({ token: `${randomBytes(4).readUInt32BE()}:bench-${randomBytes(8).toString('hex')}` });
    let bench: BenchService | undefined;
    try {
      await redis.start();
      bench = new BenchService(dir, redis, fake, await fake.start(), extraEnv);
      await bench.startServe(args);
      return bench;
    } catch (err) {
      if (bench) await bench.close();
      else {
        await fake.close();
        await redis.stop();
        rmSync(dir, { recursive: true, force: true });
      }
      throw err;
    }
  }

  /** Starts the service again, e.g. in another mode, on the same Redis and keys. */
  async startServe(args: readonly string[]): Promise<void> {
    const child = spawnNode(await builtCli(), [...args], { cwd: this.dir, env: this.env });
    this.child = child;
    this.url = await child.waitForLine((line) => {
      const log = jsonLine(line);
      return log?.msg === 'listening' && typeof log.url === 'string' ? log.url : undefined;
    }, START_TIMEOUT_MS);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while ((await fetch(`${this.url}/readyz`).then((r) => r.status, () => 0)) !== 200) {
      if (Date.now() > deadline) throw new Error('the service did not become ready');
      await sleep(100);
    }
  }

  get baseUrl(): string {
    return this.url;
  }

  get webhookUrl(): string {
    return `${this.url}${ZALO_WEBHOOK_PATH}`;
  }

  get webhookHeaders(): Record<string, string> {
    return { 'content-type': 'application/json', [ZALO_SECRET_HEADER]: this.webhookSecret };
  }

  /** The pid of the `loaphuong serve` process itself. */
  get pid(): number {
    if (!this.child) throw new Error('the service is not running');
    return this.child.pid;
  }

  /** A connection of the bench's own to the service's Redis; the caller closes it. */
  connect(): Redis {
    return new Redis({ path: this.redis.socketPath, maxRetriesPerRequest: null });
  }

  /** Redis's own persistence settings, as it reports them. */
  async persistence(): Promise<string> {
    const redis = this.connect();
    try {
      const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
      const [, appendfsync] = (await redis.config('GET', 'appendfsync')) as string[];
      return `appendonly ${appendonly}, appendfsync ${appendfsync}`;
    } finally {
      redis.disconnect();
    }
  }

  /** A `loaphuong worker` process beside a `serve --no-workers`, as a deployment that splits the two runs it. */
  async startWorker(): Promise<void> {
    this.worker = spawnNode(await builtCli(), ['worker'], { cwd: this.dir, env: this.env });
    await this.worker.waitForLine((line) => (jsonLine(line)?.msg === 'workers started' ? true : undefined), START_TIMEOUT_MS);
  }

  /** Stops the service the way an operator's SIGTERM does (it finishes its jobs); Redis keeps running. */
  async stopServe(): Promise<void> {
    await this.worker?.stop();
    this.worker = undefined;
    await this.child?.stop();
    this.child = undefined;
  }

  /**
   * SIGKILL to redis-server: nothing is flushed on the way out, so what it has afterwards is what its append-only
   * file held. ManagedRedis's supervision starts it again from that file; resolves once it answers.
   */
  async crashRedis(): Promise<void> {
    const pid = this.redis.pid;
    if (pid === undefined) throw new Error('this process does not own the Redis server');
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + REDIS_RESTART_TIMEOUT_MS;
    while (this.redis.pid === undefined || this.redis.pid === pid || !(await answersPing({ path: this.redis.socketPath }))) {
      if (Date.now() > deadline) throw new Error('redis-server did not come back after SIGKILL');
      await sleep(100);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.stopServe(), this.fake.close()]);
    await this.redis.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
