import type { Redis } from 'ioredis';
import { occurrenceSchema, planEntrySchema, scheduleSchema, type Occurrence, type PlanEntry, type Schedule } from './schemas.js';

export const broadcastKeys = (prefix: string) => ({
  schedule: (id: string) => `${prefix}:broadcasts:schedule:${id}`,
  schedules: `${prefix}:broadcasts:schedules`,
  occurrence: (id: string) => `${prefix}:broadcasts:occurrence:${id}`,
  occurrencesOf: (scheduleId: string) => `${prefix}:broadcasts:occurrences:${scheduleId}`,
  plan: (occurrenceId: string) => `${prefix}:broadcasts:plan:${occurrenceId}`,
  rotationChoice: (occurrenceId: string) => `${prefix}:broadcasts:rotation-choice:${occurrenceId}`,
  rotationUsed: (campaign: string, groupId: string) => `${prefix}:broadcasts:rotation-used:${campaign}:${groupId}`,
});
export type BroadcastKeys = ReturnType<typeof broadcastKeys>;

/** Schedules, their occurrences and what each occurrence decided per group. */
export class ScheduleStore {
  readonly keys: BroadcastKeys;

  constructor(
    readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = broadcastKeys(prefix);
  }

  /** Stores a new schedule; false when one with that id exists already (calendar imports rely on this). */
  async add(schedule: Schedule): Promise<boolean> {
    const created = await this.redis.set(this.keys.schedule(schedule.id), JSON.stringify(schedule), 'NX');
    if (created === null) return false;
    await this.redis.zadd(this.keys.schedules, Date.parse(schedule.createdAt), schedule.id);
    return true;
  }

  async put(schedule: Schedule): Promise<void> {
    await this.redis.set(this.keys.schedule(schedule.id), JSON.stringify(scheduleSchema.parse(schedule)));
  }

  async get(id: string): Promise<Schedule | undefined> {
    const raw = await this.redis.get(this.keys.schedule(id));
    return raw === null ? undefined : scheduleSchema.parse(JSON.parse(raw));
  }

  /** Newest first. */
  async list(): Promise<Schedule[]> {
    const ids = await this.redis.zrevrange(this.keys.schedules, 0, -1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.schedule(id)));
    return raws.filter((raw): raw is string => raw !== null).map((raw) => scheduleSchema.parse(JSON.parse(raw)));
  }

  /**
   * The occurrence record, created on first sight: a second trigger of the same occurrence gets the first one's
   * record back and carries on from where it stands.
   */
  async openOccurrence(occurrence: Occurrence): Promise<Occurrence> {
    const key = this.keys.occurrence(occurrence.id);
    const [[, created], [, raw]] = (await this.redis
      .multi()
      .set(key, JSON.stringify(occurrence), 'NX')
      .get(key)
      .zadd(this.keys.occurrencesOf(occurrence.scheduleId), Date.parse(occurrence.at), occurrence.id)
      .exec()) as [[null, string | null], [null, string]];
    return created === null ? occurrenceSchema.parse(JSON.parse(raw)) : occurrence;
  }

  async putOccurrence(occurrence: Occurrence): Promise<void> {
    await this.redis.set(this.keys.occurrence(occurrence.id), JSON.stringify(occurrenceSchema.parse(occurrence)));
  }

  async occurrence(id: string): Promise<Occurrence | undefined> {
    const raw = await this.redis.get(this.keys.occurrence(id));
    return raw === null ? undefined : occurrenceSchema.parse(JSON.parse(raw));
  }

  /** Most recent first. */
  async occurrencesOf(scheduleId: string, limit = 100): Promise<Occurrence[]> {
    const ids = await this.redis.zrevrange(this.keys.occurrencesOf(scheduleId), 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.occurrence(id)));
    return raws.filter((raw): raw is string => raw !== null).map((raw) => occurrenceSchema.parse(JSON.parse(raw)));
  }

  /** Occurrences timed within [from, to], earliest first: what a report of that period counts. */
  async occurrencesBetween(scheduleId: string, from: Date, to: Date): Promise<Occurrence[]> {
    const ids = await this.redis.zrangebyscore(this.keys.occurrencesOf(scheduleId), from.getTime(), to.getTime());
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.occurrence(id)));
    return raws.filter((raw): raw is string => raw !== null).map((raw) => occurrenceSchema.parse(JSON.parse(raw)));
  }

  async recordPlan(occurrenceId: string, entries: readonly PlanEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.hset(this.keys.plan(occurrenceId), Object.fromEntries(entries.map((e) => [e.groupId, JSON.stringify(e)])));
  }

  async plan(occurrenceId: string): Promise<PlanEntry[]> {
    const raw = await this.redis.hgetall(this.keys.plan(occurrenceId));
    return Object.values(raw).map((entry) => planEntrySchema.parse(JSON.parse(entry)));
  }
}
