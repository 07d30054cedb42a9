import { z } from 'zod';
import { OCCURRENCE_SKIPS } from '../broadcasts/schemas.js';
import { platformSchema } from '../channels/channel.js';
import { isoDateSchema, kebabIdSchema, localisedSchema, MESSAGE_TOPICS } from '../content/schemas.js';
import { localeSchema } from '../platform/config.js';
import { TIP_CATEGORIES, TIP_STATUSES } from '../tips/schemas.js';

/** Days on the ward's clock, both included. */
export const reportPeriodSchema = z
  .object({ from: isoDateSchema, to: isoDateSchema })
  .refine((p) => p.from <= p.to, { path: ['to'], message: 'expected a day on or after --from' });
export type ReportPeriod = z.infer<typeof reportPeriodSchema>;

const count = z.number().int().nonnegative();

/** A group's (or a topic's) deliveries: planned = sent + failed + skipped + pending. */
export const deliveryCountsSchema = z.object({ planned: count, sent: count, failed: count, skipped: count, pending: count });
export type DeliveryCounts = z.infer<typeof deliveryCountsSchema>;

/** A broadcast's topic: the library message's, the rotation's, or an announcement written for the broadcast. */
export const REPORT_TOPICS = [...MESSAGE_TOPICS, 'announcement', 'unknown'] as const;
export type ReportTopic = (typeof REPORT_TOPICS)[number];

/** A tip still in the store has its status; one purged after the retention period counts as purged. */
export const REPORT_TIP_STATUSES = [...TIP_STATUSES, 'purged'] as const;

const counts = <T extends readonly [string, ...string[]]>(keys: T) => z.record(z.enum(keys), count);

/**
 * The figures of a campaign report: counts and durations only. Nothing here may ever hold tip content, a receipt
 * code, a reply route or a chat id; groups appear by the name staff approved them under.
 */
export const campaignReportSchema = z.object({
  period: reportPeriodSchema.and(z.object({ timeZone: z.string() })),
  generatedAt: z.iso.datetime(),
  ward: z.object({ name: z.string().optional(), nameEn: z.string().optional() }),
  /** The campaign whose period the report covers exactly, if any. */
  campaign: z.object({ id: kebabIdSchema, name: localisedSchema }).optional(),
  broadcasts: z.object({
    /** Occurrences of broadcasts timed in the period; `upcoming` are approved ones still ahead. */
    runs: z.object({ planned: count, done: count, skipped: count, inProgress: count, upcoming: count }),
    runSkips: counts(OCCURRENCE_SKIPS),
    deliveries: deliveryCountsSchema,
    byTopic: z.array(deliveryCountsSchema.extend({ topic: z.enum(REPORT_TOPICS), runs: count })),
    byGroup: z.array(deliveryCountsSchema.extend({ groupId: z.string(), name: z.string().optional(), platform: platformSchema.optional() })),
  }),
  groups: z.object({ approved: count, reached: count, pending: count, paused: count, removed: count }),
  questions: z.object({
    answeredAutomatically: count,
    passedToStaff: z.object({ unanswered: count, asked: count }),
    answeredByStaff: count,
    stillOpen: count,
  }),
  tips: z.object({
    received: count,
    byCategory: counts(TIP_CATEGORIES),
    byStatus: counts(REPORT_TIP_STATUSES),
    firstAction: z.object({
      acted: count,
      waiting: count,
      medianSeconds: count.optional(),
      p90Seconds: count.optional(),
    }),
    replies: z.object({ sent: count, toChat: count }),
  }),
});
export type CampaignReport = z.infer<typeof campaignReportSchema>;

export const REPORT_FORMATS = ['html', 'md', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** `loaphuong report` options: a period (or a campaign's), the format, where to write it and in which language. */
export const reportOptionsSchema = z
  .object({
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
    campaign: kebabIdSchema.optional(),
    format: z.enum(REPORT_FORMATS).default('md'),
    out: z.string().trim().min(1).optional(),
    lang: localeSchema.optional(),
  })
  .refine((o) => (o.from === undefined) === (o.to === undefined), { path: ['to'], message: 'expected both --from and --to, or neither' })
  .refine((o) => o.campaign === undefined || o.from === undefined, { path: ['campaign'], message: 'expected either --campaign or --from/--to, not both' })
  .refine((o) => o.from === undefined || o.to === undefined || o.from <= o.to, { path: ['to'], message: 'expected a day on or after --from' });
export type ReportOptions = z.infer<typeof reportOptionsSchema>;
