import { z } from 'zod';
import { dayBounds } from '../../platform/time-zone.js';
import { tipCategorySchema, tipIdSchema, tipPrioritySchema, tipStatusSchema } from '../../tips/schemas.js';
import type { TipFilter } from '../../tips/tips.js';

/** A field left empty in a GET form arrives as "", which means "any", not "invalid". */
const blankIsAbsent = (value: unknown) => (typeof value === 'string' ? value.trim() || undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsAbsent, schema.optional());

/** A real calendar day as `<input type="date">` sends it. */
const daySchema = z.string().refine((day) => dayBounds(day, 'UTC') !== undefined);

export const queueQuerySchema = z.object({
  status: optional(tipStatusSchema),
  category: optional(tipCategorySchema),
  from: optional(daySchema),
  to: optional(daySchema),
  id: z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() || undefined : value), tipIdSchema.optional()),
});
export type QueueQuery = z.infer<typeof queueQuerySchema>;

/** Whole days on the ward's clock: `from` from its first moment, `to` to its last, so from = to is that one day. */
export function tipFilterOf(query: QueueQuery, timeZone: string): TipFilter {
  const from = query.from ? dayBounds(query.from, timeZone)?.first : undefined;
  const to = query.to ? dayBounds(query.to, timeZone)?.last : undefined;
  return {
    ...(query.status ? { status: query.status } : {}),
    ...(query.category ? { category: query.category } : {}),
    ...(from ? { from: from.toISOString() } : {}),
    ...(to ? { to: to.toISOString() } : {}),
  };
}

export const tipParamsSchema = z.object({ id: tipIdSchema });
export const photoParamsSchema = z.object({ id: tipIdSchema, n: z.string().regex(/^\d{1,2}$/).transform(Number) });

export const statusFormSchema = z.object({ status: tipStatusSchema, duplicateOf: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v), z.string().optional()) });
export const priorityFormSchema = z.object({ priority: tipPrioritySchema });
/** Length and emptiness are `Tips`' to judge, so the console refuses the same texts as the API and the chat. */
export const textFormSchema = z.object({ text: z.string().default('') });

/** Which form on the tip page was sent: its problems are shown beside it, and its text is kept. */
export type TipForm = 'claim' | 'status' | 'priority' | 'note' | 'reply';

/** What the page says after a change went through (carried in the redirect's query). */
export const NOTICES = ['claimed', 'status', 'priority', 'note', 'reply', 'reply-chat'] as const;
export const noticeQuerySchema = z.object({ done: z.enum(NOTICES).optional().catch(undefined) });
export type Notice = (typeof NOTICES)[number];
