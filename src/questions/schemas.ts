import { z } from 'zod';
import { platformSchema } from '../channels/channel.js';
import { localeSchema } from '../platform/config.js';

export const QUESTION_STATUSES = ['open', 'answered', 'closed'] as const;
export const questionStatusSchema = z.enum(QUESTION_STATUSES);
export type QuestionStatus = z.infer<typeof questionStatusSchema>;

/**
 * Why a question reached staff: the knowledge base had no answer, or the resident asked for a person.
 * Staff read the first kind as a gap in the content library worth filling.
 */
export const questionReasonSchema = z.enum(['unanswered', 'asked']);
export type QuestionReason = z.infer<typeof questionReasonSchema>;

/**
 * A question is at least two words (syllables, in Vietnamese): "1", "ok" or "?" are not worth a person's time.
 * 2000 characters fits the shortest platform message (Zalo), so an answer can quote what was asked.
 */
export const QUESTION_LIMITS = { minWords: 2, text: 2000, answer: 4000 } as const;

export const questionIdSchema = z.string().regex(/^q-[0-9a-f]{10}$/, 'expected a question id such as q-0123456789');

/** The record in clear: nothing in it says who asked or what. */
export const questionRecordSchema = z.object({
  id: questionIdSchema,
  status: questionStatusSchema,
  reason: questionReasonSchema,
  createdAt: z.string(),
  answeredAt: z.string().optional(),
  answeredBy: z.string().optional(),
  closedAt: z.string().optional(),
  closedBy: z.string().optional(),
});
export type QuestionRecord = z.infer<typeof questionRecordSchema>;

/** The chat to answer in and the language the resident wrote in; sealed, and never shown to staff as such. */
export const replyRouteSchema = z.object({ platform: platformSchema, chatId: z.string().min(1), locale: localeSchema });
export type ReplyRoute = z.infer<typeof replyRouteSchema>;

/** What staff see: the question and its answer decrypted, the language to answer in, never the chat. */
export interface QuestionView extends QuestionRecord {
  text: string;
  locale: ReplyRoute['locale'];
  answer?: string;
}
