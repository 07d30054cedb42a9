import type { Redis } from 'ioredis';
import type { BroadcastKeys } from './schedule-store.js';

/**
 * Picks, in one step, the first candidate the group has not had in this campaign, remembers it as this
 * occurrence's choice and as had. A second run of the same occurrence (a retry, a duplicate trigger, a restarted
 * worker) gets the same choice back instead of moving on to the next item. "" means nothing left.
 */
const PICK = `
local chosen = redis.call('HGET', KEYS[1], ARGV[1])
if chosen then return chosen end
for i = 2, #ARGV do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 0 then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[i])
    redis.call('SADD', KEYS[2], ARGV[i])
    return ARGV[i]
  end
end
redis.call('HSET', KEYS[1], ARGV[1], '')
return ''`;

/** Which campaign items each group has had, so a rotation never repeats one within a campaign. */
export class Rotation {
  constructor(
    private readonly redis: Redis,
    private readonly keys: BroadcastKeys,
  ) {}

  async pick(occurrenceId: string, campaign: string, groupIds: readonly string[], candidates: readonly string[]): Promise<Map<string, string | undefined>> {
    const pipeline = this.redis.pipeline();
    for (const groupId of groupIds) {
      pipeline.eval(PICK, 2, this.keys.rotationChoice(occurrenceId), this.keys.rotationUsed(campaign, groupId), groupId, ...candidates);
    }
    return this.collect(groupIds, await pipeline.exec());
  }

  /** What `pick` would choose, without remembering anything: for dry runs. */
  async peek(occurrenceId: string, campaign: string, groupIds: readonly string[], candidates: readonly string[]): Promise<Map<string, string | undefined>> {
    const pipeline = this.redis.pipeline();
    for (const groupId of groupIds) {
      pipeline.hget(this.keys.rotationChoice(occurrenceId), groupId);
      pipeline.smismember(this.keys.rotationUsed(campaign, groupId), ...(candidates.length ? candidates : ['']));
    }
    const results = (await pipeline.exec()) ?? [];
    const picks = new Map<string, string | undefined>();
    groupIds.forEach((groupId, i) => {
      const chosen = results[2 * i]?.[1] as string | null;
      const had = results[2 * i + 1]?.[1] as number[];
      picks.set(groupId, chosen !== null ? chosen || undefined : candidates.find((_, c) => had[c] === 0));
    });
    return picks;
  }

  /** A message sent by name still counts as had, so a later rotation does not send it again. */
  async markHad(campaign: string, itemId: string, groupIds: readonly string[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const groupId of groupIds) pipeline.sadd(this.keys.rotationUsed(campaign, groupId), itemId);
    await pipeline.exec();
  }

  private collect(groupIds: readonly string[], results: [Error | null, unknown][] | null): Map<string, string | undefined> {
    const picks = new Map<string, string | undefined>();
    groupIds.forEach((groupId, i) => {
      const [err, value] = results?.[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      picks.set(groupId, (value as string) || undefined);
    });
    return picks;
  }
}
