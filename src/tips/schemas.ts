import { z } from 'zod';
import { platformSchema } from '../channels/channel.js';
import { localeSchema } from '../platform/config.js';

export const tipIdSchema = z.string().regex(/^t-[0-9a-f]{10}$/, 'expected a tip id such as t-3f9a2c71d0');

/** What was seen, as the tip conversation and the web form offer it. */
export const TIP_CATEGORIES = ['trade', 'use-place', 'online', 'disguised', 'other'] as const;
export const tipCategorySchema = z.enum(TIP_CATEGORIES);
export type TipCategory = z.infer<typeof tipCategorySchema>;

export const TIP_STATUSES = ['new', 'triaged', 'in-progress', 'closed', 'spam', 'duplicate'] as const;
export const tipStatusSchema = z.enum(TIP_STATUSES);
export type TipStatus = z.infer<typeof tipStatusSchema>;
/** Statuses after which a tip counts as finished and its content is purged once the retention period has passed. */
export const FINISHED_STATUSES: readonly TipStatus[] = ['closed', 'spam', 'duplicate'];

export const TIP_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const tipPrioritySchema = z.enum(TIP_PRIORITIES);
export type TipPriority = z.infer<typeof tipPrioritySchema>;

/** Limits that keep a tip readable and a flood cheap to refuse. */
export const TIP_LIMITS = { what: { min: 10, max: 4000 }, where: 300, when: 200, message: 4000, photos: 3 } as const;

/** What a tipster tells, before it is sealed. Only `what` is required beyond the category; "not sure" is an answer. */
export const newTipSchema = z.object({
  category: tipCategorySchema,
  where: z.string().trim().max(TIP_LIMITS.where).default(''),
  when: z.string().trim().max(TIP_LIMITS.when).default(''),
  what: z.string().trim().min(TIP_LIMITS.what.min).max(TIP_LIMITS.what.max),
});
export type NewTip = z.input<typeof newTipSchema>;
export type TipContent = z.output<typeof newTipSchema>;

/**
 * Where a tip came from, only as far as is needed to answer the tipster: the chat to reply to (kept sealed, apart
 * from the tip, never shown to the police) or, for the web form, nothing but a throw-away key for rate limits.
 */
export type TipOrigin =
  | { kind: 'chat'; platform: z.infer<typeof platformSchema>; chatId: string; locale: z.infer<typeof localeSchema> }
  | { kind: 'web'; address: string; locale: z.infer<typeof localeSchema> };

/** Who is asking about a tip by its code, for counting wrong guesses; never stored as such. */
export type Requester = { kind: 'chat'; platform: z.infer<typeof platformSchema>; chatId: string } | { kind: 'web'; address: string };

/** The tip's record in clear: nothing in it identifies the tipster, and its text is in the sealed parts. */
export const tipRecordSchema = z.object({
  id: z.string(),
  category: tipCategorySchema,
  status: tipStatusSchema,
  priority: tipPrioritySchema,
  source: z.enum(['chat', 'web']),
  photos: z.coerce.number().int().nonnegative(),
  messages: z.coerce.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstActionAt: z.string().optional(),
  closedAt: z.string().optional(),
  claimedBy: z.string().optional(),
  duplicateOf: z.string().optional(),
  /** Another tip with the same text arrived within a day (from someone else): a hint for triage. */
  similarTo: z.string().optional(),
});
export type TipRecord = z.infer<typeof tipRecordSchema>;

export const threadEntrySchema = z.object({
  from: z.enum(['tipster', 'police']),
  at: z.string(),
  text: z.string(),
});
export type ThreadEntry = z.infer<typeof threadEntrySchema>;

export const noteSchema = z.object({ author: z.string(), at: z.string(), text: z.string() });
export type Note = z.infer<typeof noteSchema>;

export const replyRouteSchema = z.object({ platform: platformSchema, chatId: z.string(), locale: localeSchema });
export type ReplyRoute = z.infer<typeof replyRouteSchema>;

/** What the tipster sees with the code: where the tip stands and the conversation, never the police's notes. */
export interface TipsterView {
  id: string;
  category: TipCategory;
  status: TipStatus;
  createdAt: string;
  thread: ThreadEntry[];
}

/** What the police see: everything about the tip, nothing about who sent it. */
export interface PoliceView extends TipRecord {
  content: TipContent;
  thread: ThreadEntry[];
  notes: Note[];
}
