import { z } from 'zod';
import { isTimeZone } from '../platform/time-zone.js';

/** Ids, tags and file names: lowercase words joined by single hyphens, so that an id is also a safe file name. */
export const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** A wall-clock time in the campaign's time zone, 24-hour "HH:mm". */
export const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

export const AUDIENCES = ['residents', 'students-parents', 'workers', 'enterprises'] as const;
export const MESSAGE_TOPICS = [
  'campaign',
  'synthetic-drugs',
  'disguised-drugs',
  'criminal-tricks',
  'law',
  'reporting',
  'treatment-support',
  'drug-free-models',
  'day-26-6',
] as const;
export const QA_TOPICS = [...MESSAGE_TOPICS, 'bot-usage'] as const;
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export const MILESTONE_KINDS = ['report-deadline', 'event'] as const;

export const kebabIdSchema = z.string().regex(KEBAB_CASE);
/** Calendar dates stay "YYYY-MM-DD" strings: they are days in the campaign's time zone, not instants. */
export const isoDateSchema = z.iso.date();
export const clockTimeSchema = z.string().regex(CLOCK_TIME);
export const audienceSchema = z.enum(AUDIENCES);
export const weekdaySchema = z.enum(WEEKDAYS);

/** The same text in both languages of the service. */
export const localisedSchema = z.strictObject({
  vi: z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type Localised = z.infer<typeof localisedSchema>;

export const sourceSchema = z.strictObject({
  title: z.string().trim().min(1),
  url: z.url({ protocol: /^https?$/ }).optional(),
});
export type Source = z.infer<typeof sourceSchema>;

const datedNameSchema = z.strictObject({ date: isoDateSchema, name: localisedSchema });

export const campaignSchema = z.strictObject({
  id: kebabIdSchema,
  organisation: localisedSchema,
  name: localisedSchema,
  theme: localisedSchema,
  period: z
    .strictObject({ from: isoDateSchema, to: isoDateSchema })
    .refine((p) => p.from <= p.to, { path: ['to'], params: { reason: 'date-order', after: 'from' } }),
  timezone: z.string().refine(isTimeZone, { params: { reason: 'timezone' } }),
  audiences: z.array(audienceSchema).min(1),
  key_dates: z.array(datedNameSchema),
  milestones: z.array(datedNameSchema.extend({ kind: z.enum(MILESTONE_KINDS) })),
  source: localisedSchema,
});
export type Campaign = z.infer<typeof campaignSchema>;

const messageFields = {
  id: kebabIdSchema,
  topic: z.enum(MESSAGE_TOPICS),
  audience: z.array(audienceSchema).min(1),
  tags: z.array(kebabIdSchema),
  valid_from: isoDateSchema.optional(),
  valid_to: isoDateSchema.optional(),
  /** A picture to send along with the text. */
  image: z.string().trim().min(1).optional(),
  sources: z.array(sourceSchema).min(1),
};

function validInOrder(m: { valid_from?: string | undefined; valid_to?: string | undefined }): boolean {
  return m.valid_from === undefined || m.valid_to === undefined || m.valid_from <= m.valid_to;
}
const validOrderIssue = { path: ['valid_to'], params: { reason: 'date-order', after: 'valid_from' } };

export const messageFrontMatterSchema = z.strictObject(messageFields).refine(validInOrder, validOrderIssue);

/** A campaign message: its front matter and the text to send, per language, placeholders not yet filled in. */
export const messageItemSchema = z.strictObject({ ...messageFields, text: localisedSchema }).refine(validInOrder, validOrderIssue);
export type MessageItem = z.infer<typeof messageItemSchema>;

export const qaFrontMatterSchema = z.strictObject({
  id: kebabIdSchema,
  topic: z.enum(QA_TOPICS),
  questions: z.strictObject({
    vi: z.array(z.string().trim().min(1)).min(2),
    en: z.array(z.string().trim().min(1)).min(2),
  }),
  sources: z.array(sourceSchema).optional(),
});

/** A knowledge-base entry: example questions and the answer, per language. */
export const qaEntrySchema = qaFrontMatterSchema.extend({ answer: localisedSchema });
export type QaEntry = z.infer<typeof qaEntrySchema>;

export const calendarEntrySchema = z.strictObject({
  date: isoDateSchema,
  /** When absent, the calendar's `default_time`. */
  at: clockTimeSchema.optional(),
  message: kebabIdSchema,
});
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;

export const weeklyEntrySchema = z.strictObject({
  weekday: weekdaySchema,
  at: clockTimeSchema,
  message: kebabIdSchema,
});
export type WeeklyEntry = z.infer<typeof weeklyEntrySchema>;

export const calendarSchema = z.strictObject({
  default_time: clockTimeSchema,
  entries: z.array(calendarEntrySchema).default([]),
  weekly: z.array(weeklyEntrySchema).default([]),
});
export type Calendar = z.infer<typeof calendarSchema>;

export const campaignContentSchema = z.object({
  campaign: campaignSchema,
  messages: z.array(messageItemSchema),
  calendar: calendarSchema,
});
export type CampaignContent = z.infer<typeof campaignContentSchema>;

/** Everything under the content folder that passed every check. */
export const contentLibrarySchema = z.object({
  campaigns: z.array(campaignContentSchema),
  qa: z.array(qaEntrySchema),
});
export type ContentLibrary = z.infer<typeof contentLibrarySchema>;
