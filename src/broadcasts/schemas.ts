import { z } from 'zod';
import { platformSchema } from '../channels/channel.js';
import { KEBAB_CASE, MESSAGE_TOPICS } from '../content/schemas.js';
import { tagSchema } from '../groups/schemas.js';

/** Schedule ids become parts of BullMQ job ids and delivery ids: no ":" and never all digits. */
export const scheduleIdSchema = z.string().regex(/^(?!\d+$)[a-z0-9][a-z0-9.-]{2,159}$/, 'expected a schedule id such as b-3f9a2c71d0');

const kebab = z.string().regex(KEBAB_CASE, 'expected lowercase words joined by "-"');

/** A one-off at an instant, or a five-field cron pattern read on the ward's clock. */
export const timingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), at: z.iso.datetime({ offset: true }) }),
  z.object({
    kind: z.literal('cron'),
    pattern: z.string().trim().min(9).max(100),
    timeZone: z.string(),
    from: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
  }),
]);
export type Timing = z.infer<typeof timingSchema>;

export const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('tags'), tags: z.array(tagSchema).min(1) }),
  z.object({ kind: z.literal('groups'), ids: z.array(z.string().min(1).max(40)).min(1).max(5000) }),
  z.object({ kind: z.literal('platform'), platform: platformSchema }),
]);
export type Target = z.infer<typeof targetSchema>;

/**
 * One library message; a rotation over a campaign topic (each group gets the next item it has not had in that
 * campaign); or an announcement written for this broadcast.
 */
export const broadcastContentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), campaign: kebab, message: kebab }),
  z.object({ kind: z.literal('rotation'), campaign: kebab, topic: z.enum(MESSAGE_TOPICS) }),
  z.object({ kind: z.literal('text'), text: z.object({ vi: z.string().trim().min(1), en: z.string().trim().min(1).optional() }) }),
]);
export type BroadcastContent = z.infer<typeof broadcastContentSchema>;

export const SCHEDULE_STATUSES = ['draft', 'approved', 'paused', 'cancelled', 'finished'] as const;
export const scheduleStatusSchema = z.enum(SCHEDULE_STATUSES);
export type ScheduleStatus = z.infer<typeof scheduleStatusSchema>;

export const scheduleSchema = z.object({
  id: scheduleIdSchema,
  title: z.string(),
  timing: timingSchema,
  target: targetSchema,
  content: broadcastContentSchema,
  /** May send inside quiet hours (still only once approved). */
  urgent: z.boolean(),
  status: scheduleStatusSchema,
  /** Where it came from when not typed in, e.g. "calendar:2026-thang-hanh-dong". */
  origin: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  updatedAt: z.string(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/** What a person asks for; `at`, `from` and `until` may be wall-clock times ("2026-06-26 07:00") on the ward's clock. */
export const newScheduleSchema = z.object({
  title: z.string().trim().min(1).max(120),
  timing: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('once'), at: z.string().trim().min(1) }),
    z.object({ kind: z.literal('cron'), pattern: z.string().trim().min(1).max(100), from: z.string().trim().min(1).optional(), until: z.string().trim().min(1).optional() }),
  ]),
  target: targetSchema,
  content: broadcastContentSchema,
  urgent: z.boolean().default(false),
});
export type NewSchedule = z.input<typeof newScheduleSchema>;

export const OCCURRENCE_SKIPS = ['paused', 'cancelled', 'draft', 'finished', 'quiet-hours', 'missing'] as const;
export const occurrenceSchema = z.object({
  id: z.string(),
  scheduleId: z.string(),
  at: z.string(),
  status: z.enum(['fanning-out', 'done', 'skipped']),
  reason: z.enum(OCCURRENCE_SKIPS).optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
});
export type Occurrence = z.infer<typeof occurrenceSchema>;

export const GROUP_SKIPS = ['group-pending', 'group-paused', 'group-removed', 'group-missing', 'unreachable', 'rotation-exhausted', 'content-missing'] as const;
export type GroupSkip = (typeof GROUP_SKIPS)[number];

/** What the fan-out decided for one group of one occurrence. */
export const planEntrySchema = z.object({
  groupId: z.string(),
  deliveryId: z.string().optional(),
  item: z.string().optional(),
  skip: z.enum(GROUP_SKIPS).optional(),
});
export type PlanEntry = z.infer<typeof planEntrySchema>;
