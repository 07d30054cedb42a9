import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createRedisClient, describeEndpoint, type ConnectionPurpose, type RedisEndpoint } from './client.js';
import { ManagedRedis } from './managed-redis.js';
import { checkServerSettings } from './server-checks.js';

/**
 * A connection still handshaking is let finish first (briefly): cut off in the middle, ioredis keeps the process
 * alive for its disconnect timeout, and a one-shot command would hang for two seconds after its work is done.
 */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'connecting' || client.status === 'connect') {
    await Promise.race([once(client, 'ready'), once(client, 'end'), delay(1_000, undefined, { ref: false })]).catch(() => undefined);
  }
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

export class RedisUnreachableError extends Error {
  readonly code = 'REDIS_UNREACHABLE';
  constructor(where: string, cause: unknown) {
    super(`Redis at ${where} did not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'RedisUnreachableError';
  }
}

/**
 * The service's one datastore: the user's Redis, or a managed redis-server child. Every connection the process
 * opens comes from here, so `close()` can end them all and then the child.
 */
export class Datastore {
  private readonly clients = new Set<Redis>();
  private closing: Promise<void> | undefined;
  /** Shared connection for short commands (HTTP handlers, stores); fails fast while Redis is away. */
  readonly redis: Redis;

  private constructor(
    readonly endpoint: RedisEndpoint,
    readonly prefix: string,
    private readonly managed: ManagedRedis | undefined,
    private readonly logger: Logger,
  ) {
    this.redis = this.connect('command');
  }

  static async open(config: Config, logger: Logger): Promise<Datastore> {
    let managed: ManagedRedis | undefined;
    let endpoint: RedisEndpoint;
    if (config.redis.url) {
      endpoint = { url: config.redis.url };
    } else {
      managed = new ManagedRedis({ dataDir: config.redis.dataDir, serverBin: config.redis.serverBin, logger });
      await managed.start();
      endpoint = { path: managed.socketPath };
    }
    const store = new Datastore(endpoint, config.redis.prefix, managed, logger);
    try {
      await store.waitUntilReachable();
      for (const finding of await checkServerSettings(store.redis)) logger.warn(finding);
    } catch (err) {
      await store.close();
      throw err;
    }
    logger.info({ redis: describeEndpoint(endpoint), managed: Boolean(managed) }, 'datastore ready');
    return store;
  }

  private async waitUntilReachable(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        await this.redis.ping();
        return;
      } catch (err) {
        lastError = err;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new RedisUnreachableError(describeEndpoint(this.endpoint), lastError);
  }

  /** A new connection of its own, e.g. for a BullMQ worker (blocking commands need one each). */
  connect(purpose: ConnectionPurpose): Redis {
    const client = createRedisClient(this.endpoint, purpose);
    let reported = false;
    client.on('error', (err: Error) => {
      // One line per outage, not one per reconnect attempt.
      if (!reported) this.logger.warn({ err: err.message, purpose }, 'redis connection lost; reconnecting');
      reported = true;
    });
    client.on('ready', () => {
      if (reported) this.logger.info({ purpose }, 'redis connection back');
      reported = false;
    });
    client.on('end', () => this.clients.delete(client));
    this.clients.add(client);
    return client;
  }

  /** Idempotent: closes every connection, then stops the managed server if this process owns it. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.clients].map(closeClient));
      this.clients.clear();
      if (this.managed?.owned) await this.managed.stop();
    })();
    return this.closing;
  }

  get managedServer(): ManagedRedis | undefined {
    return this.managed;
  }
}
