import { Redis, type RedisOptions } from 'ioredis';

/** Where the service's Redis listens: a user's URL, or the managed server's unix socket or loopback port. */
export type RedisEndpoint = { url: string } | { path: string } | { host: string; port: number };

/**
 * `worker` connections block on BullMQ commands and must never give up on a request; `command` connections serve
 * HTTP handlers and fail fast while Redis is away, so a request gets an error instead of hanging.
 */
export type ConnectionPurpose = 'worker' | 'command';

const MAX_BACKOFF_MS = 5_000;

export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 10), MAX_BACKOFF_MS);
}

export function redisOptions(purpose: ConnectionPurpose): RedisOptions {
  return {
    lazyConnect: false,
    connectionName: `loaphuong-${purpose}`,
    retryStrategy: reconnectDelay,
    ...(purpose === 'worker'
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }),
  };
}

export function createRedisClient(endpoint: RedisEndpoint, purpose: ConnectionPurpose): Redis {
  const options = redisOptions(purpose);
  if ('url' in endpoint) return new Redis(endpoint.url, options);
  return new Redis({ ...endpoint, ...options });
}

/** A readable name for logs: never the URL itself, which may carry a password. */
export function describeEndpoint(endpoint: RedisEndpoint): string {
  if ('path' in endpoint) return `unix:${endpoint.path}`;
  if ('host' in endpoint) return `${endpoint.host}:${endpoint.port}`;
  const url = new URL(endpoint.url);
  return `${url.protocol}//${url.hostname}:${url.port || '6379'}${url.pathname}`;
}
