import type { Redis } from 'ioredis';

/**
 * Settings BullMQ and durability depend on. Each finding is a sentence an operator can act on; an empty list means
 * the server is set up as the service expects.
 */
export async function checkServerSettings(redis: Redis): Promise<string[]> {
  const [policy, appendonly, save] = await Promise.all(
    ['maxmemory-policy', 'appendonly', 'save'].map(async (name) => {
      const reply = (await redis.config('GET', name)) as string[];
      return reply[1] ?? '';
    }),
  );
  const findings: string[] = [];
  if (policy !== 'noeviction') {
    findings.push(
      `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction" or queued jobs can silently disappear. ` +
        'Set `maxmemory-policy noeviction` in redis.conf.',
    );
  }
  if (appendonly !== 'yes' && (save ?? '').trim() === '') {
    findings.push(
      'Redis persistence is off (appendonly no, no save points): accepted tips and schedules are lost when it ' +
        'restarts. Set `appendonly yes` (and `appendfsync everysec` or `always`) in redis.conf.',
    );
  } else if (appendonly !== 'yes') {
    findings.push(
      'Redis keeps only RDB snapshots (appendonly no): writes since the last snapshot are lost in a crash. ' +
        'Set `appendonly yes` in redis.conf.',
    );
  }
  return findings;
}
