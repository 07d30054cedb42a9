import type { Outbox, OutboundRequest } from '../channels/outbound/outbox.js';
import type { GroupRegistry } from '../groups/group-registry.js';
import type { Group } from '../groups/schemas.js';
import type { Locale } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { compactStamp, wallClock } from '../platform/time-zone.js';
import type { BroadcastContentSource } from './content-source.js';
import type { Rotation } from './rotation.js';
import type { ScheduleStore } from './schedule-store.js';
import type { Occurrence, PlanEntry, Schedule } from './schemas.js';
import { resolveTargets } from './targets.js';
import { fireTimes, inQuietHours, type QuietHours } from './when.js';

/** Groups handled per round trip set; small enough to keep a crash's redo short, large enough for 5,000 groups. */
export const FAN_OUT_BATCH = 500;

export interface FanOutDeps {
  store: ScheduleStore;
  rotation: Rotation;
  groups: GroupRegistry;
  content: BroadcastContentSource;
  outbox: Outbox;
  timeZone: string;
  quietHours: QuietHours;
  locale: Locale;
  logger: Logger;
  now: () => Date;
}

/** The same schedule at the same minute is the same occurrence, however many times it is triggered. */
export function occurrenceId(scheduleId: string, at: Date, timeZone: string): string {
  return `${scheduleId}.${compactStamp(wallClock(at, timeZone))}`;
}

/** One delivery per group per occurrence: the id the outbox, the queue and the delivery record all share. */
export function deliveryId(occurrenceId: string, groupId: string): string {
  return `${occurrenceId}.${groupId}`;
}

function skipReason(schedule: Schedule | undefined, at: Date, deps: FanOutDeps): Occurrence['reason'] {
  if (!schedule) return 'missing';
  if (schedule.status !== 'approved') return schedule.status;
  if (!schedule.urgent && inQuietHours(wallClock(at, deps.timeZone).time, deps.quietHours)) return 'quiet-hours';
  return undefined;
}

/**
 * Fans one occurrence out to one outbound message per group. Every step is repeatable: the occurrence record,
 * the rotation choice and the delivery id are fixed by schedule, time and group, so running it again after a crash
 * or a duplicate trigger queues nothing twice and finishes what the first run left.
 */
export async function fanOut(scheduleId: string, at: Date, deps: FanOutDeps): Promise<Occurrence> {
  const { store, now } = deps;
  const schedule = await store.get(scheduleId);
  const id = occurrenceId(scheduleId, at, deps.timeZone);
  const occurrence = await store.openOccurrence({ id, scheduleId, at: at.toISOString(), status: 'fanning-out', startedAt: now().toISOString() });
  if (occurrence.status !== 'fanning-out') return occurrence;

  const reason = skipReason(schedule, at, deps);
  if (reason || !schedule) {
    const skipped: Occurrence = { ...occurrence, status: 'skipped', reason, finishedAt: now().toISOString() };
    await store.putOccurrence(skipped);
    deps.logger.info({ occurrence: id, reason }, 'broadcast occurrence skipped');
    return skipped;
  }

  const { send, skipped } = await resolveTargets(schedule.target, deps.groups);
  await store.recordPlan(id, skipped);
  const day = wallClock(at, deps.timeZone).date;
  for (let start = 0; start < send.length; start += FAN_OUT_BATCH) {
    await sendBatch(schedule, id, day, send.slice(start, start + FAN_OUT_BATCH), deps);
  }

  const done: Occurrence = { ...occurrence, status: 'done', finishedAt: now().toISOString() };
  await store.putOccurrence(done);
  // A one-off, or a recurring schedule past its end, has nothing more to send.
  if (fireTimes(schedule.timing, at, 1).length === 0) await store.put({ ...schedule, status: 'finished', updatedAt: now().toISOString() });
  deps.logger.info({ occurrence: id, groups: send.length, skipped: skipped.length }, 'broadcast occurrence fanned out');
  return done;
}

async function itemsFor(schedule: Schedule, occurrence: string, day: string, batch: Group[], deps: FanOutDeps): Promise<Map<string, string | undefined>> {
  const { content } = schedule;
  if (content.kind !== 'rotation') {
    const fixed = deps.content.fixedItem(content);
    return new Map(batch.map((g) => [g.id, fixed]));
  }
  const candidates = deps.content.rotationCandidates(content.campaign, content.topic, day);
  return deps.rotation.pick(occurrence, content.campaign, batch.map((g) => g.id), candidates);
}

async function sendBatch(schedule: Schedule, occurrence: string, day: string, batch: Group[], deps: FanOutDeps): Promise<void> {
  const items = await itemsFor(schedule, occurrence, day, batch, deps);
  const texts = new Map<string | undefined, string | undefined>();
  const textOf = (item: string | undefined) => {
    if (!texts.has(item)) texts.set(item, deps.content.render(schedule.content, item, deps.locale));
    return texts.get(item);
  };

  const entries: PlanEntry[] = [];
  const requests: OutboundRequest[] = [];
  for (const group of batch) {
    const item = items.get(group.id);
    const text = textOf(item);
    if (item === undefined || text === undefined) {
      entries.push({ groupId: group.id, skip: schedule.content.kind === 'rotation' ? 'rotation-exhausted' : 'content-missing' });
      continue;
    }
    const delivery = deliveryId(occurrence, group.id);
    entries.push({ groupId: group.id, deliveryId: delivery, item });
    requests.push({ id: delivery, platform: group.platform, chatId: group.chatId, chatKind: 'group', lane: 'broadcast', message: { kind: 'text', text } });
  }
  await deps.outbox.sendMany(requests);
  await deps.store.recordPlan(occurrence, entries);
  if (schedule.content.kind === 'message') {
    const reached = entries.filter((e) => e.deliveryId !== undefined).map((e) => e.groupId);
    await deps.rotation.markHad(schedule.content.campaign, schedule.content.message, reached);
  }
}
