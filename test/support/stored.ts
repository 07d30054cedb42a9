import type { Redis } from 'ioredis';

/** Every key under the prefix. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** A key's type and everything stored under it, the key included, as text to search. */
export async function storedAt(redis: Redis, key: string): Promise<{ type: string; text: string }> {
  const type = await redis.type(key);
  const parts: string[] = [key];
  // Read both ways: as UTF-8 for Vietnamese text, and byte for byte so clear text inside a binary value still shows.
  if (type === 'string') parts.push((await redis.get(key)) ?? '', (await redis.getBuffer(key))?.toString('latin1') ?? '');
  else if (type === 'hash') parts.push(...Object.entries(await redis.hgetall(key)).flat());
  else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
  else if (type === 'set') parts.push(...(await redis.smembers(key)));
  else if (type === 'zset') parts.push(...(await redis.zrange(key, 0, -1, 'WITHSCORES')));
  else if (type === 'stream') parts.push(...(await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]));
  // A key that expired between the scan and the read holds nothing; any other type would go unsearched.
  else if (type !== 'none') throw new Error(`unexpected ${type} at ${key}`);
  return { type, text: parts.join('\n') };
}

/** Every key under the prefix and everything stored under it, whatever its type, as one string to search. */
export async function everythingStored(redis: Redis, prefix: string): Promise<string> {
  const texts: string[] = [];
  for (const key of await keysUnder(redis, prefix)) texts.push((await storedAt(redis, key)).text);
  return texts.join('\n');
}
