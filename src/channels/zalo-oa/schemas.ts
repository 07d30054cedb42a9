import { z } from 'zod';

/** A body that is not JSON becomes `undefined`, which every schema below refuses. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Every Open API answer. A refusal arrives with HTTP 200 and a non-zero `error`, so the status alone says nothing.
 */
export const apiEnvelopeSchema = z.object({
  error: z.number().int(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});
export type ApiEnvelope = z.infer<typeof apiEnvelopeSchema>;

/** `data` of a message send (`/message/cs`, `/group/message`). */
export const sentMessageDataSchema = z.object({ message_id: z.string().min(1) });

/** `data` of `/group/getgroupsofoa`; groups carry more fields than these. */
export const groupsOfOaDataSchema = z.object({
  total: z.number().int().nonnegative().optional(),
  groups: z
    .array(
      z.object({
        group_id: z.string().min(1),
        name: z.string().optional(),
        status: z.string().optional(),
        total_member: z.number().int().nonnegative().optional(),
      }),
    )
    .default([]),
});

/** A successful `/v4/oa/access_token` answer; `expires_in` is documented as a string of seconds. */
export const oauthTokensSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});

/** A refused `/v4/oa/access_token` call: its own `-14xxx` codes, with a name instead of a message. */
export const oauthErrorSchema = z.object({
  error: z.number().int(),
  error_name: z.string().optional(),
  error_description: z.string().optional(),
});

/** What the token store keeps in its Redis hash; fields are missing until the first refresh. */
export const storedTokensSchema = z.object({
  accessToken: z.string().min(1).optional(),
  refreshToken: z.string().min(1).optional(),
  expiresAt: z.coerce.number().int().optional(),
});

/** Zalo sends every id and the timestamp (milliseconds) as strings, since they exceed 2^53. */
const zaloId = z.string().min(1).max(200);
export const webhookTimestampSchema = z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]);

/** Just enough of any webhook body to decide whether it is an event Loa Phường reads. */
export const webhookHeadSchema = z.object({ event_name: z.string().min(1).max(100) });

/** The events read: a person writing to the OA privately or in a group the OA is in. */
export const webhookMessageEventSchema = z.object({
  event_name: z.string(),
  timestamp: webhookTimestampSchema,
  sender: z.object({ id: zaloId }),
  /** The OA for a private message; the group for a group message (some senders name it `group_id`). */
  recipient: z.object({ id: zaloId.optional(), group_id: zaloId.optional() }),
  message: z.object({
    msg_id: zaloId.optional(),
    text: z.string().max(20_000).optional(),
    attachments: z
      .array(z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).optional() }))
      .optional(),
  }),
});
export type WebhookMessageEvent = z.infer<typeof webhookMessageEventSchema>;
