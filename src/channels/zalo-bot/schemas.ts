import { z } from 'zod';

/**
 * Shapes of the Zalo Bot Platform API (`https://bot-api.zaloplatforms.com/bot<TOKEN>/<method>`). Only the fields
 * Loa Phường reads are declared; zod drops the rest, so new platform fields cannot leak into the app.
 */

/** Every answer has this envelope; HTTP 200 alone does not mean success, `ok` does. */
export const apiEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown().optional() }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().int().optional(),
    description: z.string().optional(),
  }),
]);
export type ApiEnvelope = z.infer<typeof apiEnvelopeSchema>;

export const botInfoSchema = z.object({
  id: z.string().min(1),
  account_name: z.string().optional(),
  account_type: z.string().optional(),
  /** Some bots cannot be added to groups at all; the group features need this to be true. */
  can_join_groups: z.boolean(),
});
export type ZaloBotInfo = z.infer<typeof botInfoSchema>;

/** What setWebhook, deleteWebhook and getWebhookInfo answer; an empty `url` means no webhook is set. */
export const webhookInfoSchema = z.object({
  url: z.string(),
  updated_at: z.number().int().optional(),
});
export type ZaloWebhookInfo = z.infer<typeof webhookInfoSchema>;

export const sentMessageSchema = z.object({
  message_id: z.string().min(1),
  date: z.number().int().nonnegative(),
});
export type ZaloSentMessage = z.infer<typeof sentMessageSchema>;

/**
 * One update as getUpdates returns it and as the webhook carries it. The message is checked per event by the
 * normaliser, so that an event Loa Phường does not handle can be dropped whatever its message looks like.
 */
export const rawUpdateSchema = z.object({
  event_name: z.string().min(1),
  message: z.unknown().optional(),
});
export type ZaloRawUpdate = z.infer<typeof rawUpdateSchema>;

/** The webhook body: the platform wraps the update in an envelope; a bare update is accepted too. */
export const webhookBodySchema = z.union([z.object({ ok: z.literal(true), result: rawUpdateSchema }), rawUpdateSchema]);

const id = z.string().min(1).max(200);

export const incomingMessageSchema = z.object({
  message_id: id,
  /** Milliseconds since the epoch. */
  date: z.number().int().nonnegative(),
  chat: z.object({ id, chat_type: z.enum(['PRIVATE', 'GROUP']) }),
  from: z.object({ id, display_name: z.string().optional() }),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo_url: z.url({ protocol: /^https?$/ }).optional(),
  // Some published samples name the image URL `photo` (its shape there is not documented): read it when it is a
  // URL, and otherwise let it not spoil the rest of the message.
  photo: z.url({ protocol: /^https?$/ }).optional().catch(undefined),
});
export type ZaloIncomingMessage = z.infer<typeof incomingMessageSchema>;
