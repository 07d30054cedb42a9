import { createHash } from 'node:crypto';
import {
  inboundMessageSchema,
  WebhookPayloadError,
  type InboundMessage,
  type WebhookReceiver,
  type WebhookUpdate,
} from '../channel.js';
import { headerValue, secretsEqual } from '../security.js';
import { groupChatId, userChatId } from './adapter.js';
import {
  parseJson,
  webhookHeadSchema,
  webhookMessageEventSchema,
  webhookTimestampSchema,
  type WebhookMessageEvent,
} from './schemas.js';

/** Zalo retries an unanswered event within minutes, so older deliveries are treated as replays. */
export const DEFAULT_MAX_SKEW_MS = 10 * 60_000;

export interface ZaloOaWebhookOptions {
  appId: string;
  /** The OA secret key from the app's webhook settings, not the app secret. */
  oaSecretKey: string;
  now?: () => number;
  /** How far the body's `timestamp` may be from now, either way. */
  maxSkewMs?: number;
}

type Reading = { kind: 'text' | 'photo'; chat: 'private' | 'group' };

/** The events read; every other event (the OA's own sends, follows, stickers, files…) is acknowledged and dropped. */
const READ_EVENTS: ReadonlyMap<string, Reading> = new Map<string, Reading>([
  ['user_send_text', { kind: 'text', chat: 'private' }],
  ['user_send_image', { kind: 'photo', chat: 'private' }],
  ['user_send_group_text', { kind: 'text', chat: 'group' }],
  ['user_send_group_image', { kind: 'photo', chat: 'group' }],
]);

/**
 * Receives Official Account events. Zalo signs each with `X-ZEvent-Signature: mac=<hex>`, the plain SHA-256 (not
 * an HMAC) of appId + raw body + the body's `timestamp` + the OA secret key. The timestamp is in milliseconds.
 * Zalo wants a 200 within 2 seconds, so nothing here waits on anything.
 */
export class ZaloOaWebhook implements WebhookReceiver {
  readonly platform = 'zalo-oa' as const;
  readonly path = '/webhooks/zalo-oa';
  private readonly appId: string;
  private readonly oaSecretKey: string;
  private readonly now: () => number;
  private readonly maxSkewMs: number;

  constructor(options: ZaloOaWebhookOptions) {
    if (!options.appId || !options.oaSecretKey) throw new Error('A Zalo app id and OA secret key are required.');
    this.appId = options.appId;
    this.oaSecretKey = options.oaSecretKey;
    this.now = options.now ?? Date.now;
    this.maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  }

  verify(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): boolean {
    const presented = headerValue(headers, 'x-zevent-signature')?.trim().replace(/^mac=/i, '').toLowerCase();
    if (!presented) return false;
    const body = parseJson(rawBody.toString('utf8'));
    const timestamp = webhookTimestampSchema.safeParse(
      typeof body === 'object' && body !== null ? (body as { timestamp?: unknown }).timestamp : undefined,
    );
    if (!timestamp.success) return false;
    if (Math.abs(this.now() - Number(timestamp.data)) > this.maxSkewMs) return false;
    const expected = createHash('sha256')
      .update(this.appId)
      .update(rawBody)
      .update(String(timestamp.data))
      .update(this.oaSecretKey)
      .digest('hex');
    return secretsEqual(presented, expected);
  }

  parse(body: unknown): WebhookUpdate {
    const head = webhookHeadSchema.safeParse(body);
    if (!head.success) throw new WebhookPayloadError('not a Zalo OA event: no event_name');
    const reading = READ_EVENTS.get(head.data.event_name);
    if (!reading) return { kind: 'ignored', reason: `event ${head.data.event_name}` };
    const event = webhookMessageEventSchema.safeParse(body);
    if (!event.success) throw new WebhookPayloadError(`malformed ${head.data.event_name} event`);
    return this.normalize(event.data, reading);
  }

  private normalize(event: WebhookMessageEvent, reading: Reading): WebhookUpdate {
    const chatId = chatIdOf(event, reading);
    const text = event.message.text || undefined;
    const image = event.message.attachments?.find((attachment) => attachment.type === 'image');
    const photoUrl = reading.kind === 'photo' ? image?.payload?.url : undefined;
    if (reading.kind === 'text' && !text) return { kind: 'ignored', reason: `${event.event_name} without text` };
    if (reading.kind === 'photo' && !photoUrl) return { kind: 'ignored', reason: `${event.event_name} without an image` };

    const message = inboundMessageSchema.safeParse({
      platform: 'zalo-oa',
      updateId: event.message.msg_id ?? contentId(event, chatId),
      chat: { id: chatId, kind: reading.chat },
      sender: { id: event.sender.id },
      kind: reading.kind,
      text,
      photoUrl,
      sentAt: Number(event.timestamp),
    } satisfies InboundMessage);
    if (!message.success) throw new WebhookPayloadError(`${event.event_name} event does not make a valid message`);
    return { kind: 'message', message: message.data };
  }
}

function chatIdOf(event: WebhookMessageEvent, reading: Reading): string {
  if (reading.chat === 'private') return userChatId(event.sender.id);
  const groupId = event.recipient.group_id ?? event.recipient.id;
  if (!groupId) throw new WebhookPayloadError(`${event.event_name} event without a group id`);
  return groupChatId(groupId);
}

/**
 * Zalo documents `msg_id` on every message event; should one come without it, duplicates are still recognised by
 * a hash of what identifies the delivery (event, sender, chat, timestamp, content). Two identical messages from
 * the same person in the same millisecond would be taken for one.
 */
function contentId(event: WebhookMessageEvent, chatId: string): string {
  const fields = [event.event_name, event.sender.id, chatId, String(event.timestamp), JSON.stringify(event.message)];
  return `sha256:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
}
