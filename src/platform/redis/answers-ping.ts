import { Redis, type RedisOptions } from 'ioredis';

/** A Redis server to probe: by URL (tcp) or by the unix socket of a server this project runs. */
export type RedisAddress = { url: string } | { path: string };

/**
 * Whether a Redis server answers PING now, without retrying. One still loading its append-only file answers an
 * error rather than PONG, so it counts as not answering yet.
 */
export async function answersPing(address: RedisAddress): Promise<boolean> {
  const options: RedisOptions = { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 };
  const probe = 'url' in address ? new Redis(address.url, options) : new Redis({ ...options, path: address.path });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
