import { z } from 'zod';

/** Every chat platform Loa Phường talks through. `sandbox` is the local one for the demo and tests. */
export const PLATFORMS = ['zalo', 'zalo-oa', 'telegram', 'sandbox'] as const;
export const platformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof platformSchema>;

export const chatKindSchema = z.enum(['private', 'group']);
export type ChatKind = z.infer<typeof chatKindSchema>;

/**
 * One message a person sent, in the same shape whatever the platform. `updateId` is the platform's own id of the
 * delivery, unique per platform, and is what duplicate webhook deliveries are recognised by.
 */
export const inboundMessageSchema = z.object({
  platform: platformSchema,
  updateId: z.string().min(1).max(200),
  chat: z.object({ id: z.string().min(1).max(200), kind: chatKindSchema, title: z.string().max(256).optional() }),
  sender: z.object({ id: z.string().min(1).max(200), displayName: z.string().max(256).optional() }),
  kind: z.enum(['text', 'photo', 'sticker', 'unsupported']),
  text: z.string().max(20_000).optional(),
  photoUrl: z.url().optional(),
  /** Milliseconds since the epoch, as the platform reported it. */
  sentAt: z.number().int().nonnegative(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const outboundMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string().min(1) }),
  z.object({ kind: z.literal('photo'), url: z.url(), caption: z.string().optional() }),
]);
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

export interface SentMessage {
  /** The platform's id of the message it accepted, for delivery records. */
  messageId: string;
}

/** What the outbound layer must respect for a platform; rates come from configuration. */
export interface ChannelLimits {
  /** Longest text (and caption) one message may carry; longer text is split before sending. */
  maxTextLength: number;
  /** Longest caption a photo may carry, where the platform limits it more than text (Telegram: 1024). */
  maxCaptionLength?: number;
  /** Messages per second across all chats. */
  messagesPerSecond: number;
  /** Messages per minute into one group chat. */
  groupMessagesPerMinute: number;
  /** Messages per minute into one private chat. */
  privateMessagesPerMinute: number;
}

/**
 * Why a send failed, in one shape for every platform:
 * - `rate-limited`: the platform asked us to wait `retryAfterMs` before sending again;
 * - `permanent`: this chat will not accept messages (`reason` tells why); never retry, mark the chat;
 * - `rejected`: the platform refused this particular message (bad request); retrying the same message is useless;
 * - `transient`: network failure, timeout or a server error; retry later.
 */
export type PermanentReason = 'blocked' | 'removed-from-group' | 'chat-not-found' | 'forbidden';

export type ChannelFailure =
  | { kind: 'rate-limited'; retryAfterMs: number }
  | { kind: 'permanent'; reason: PermanentReason }
  | { kind: 'rejected' }
  | { kind: 'transient' };

export class ChannelError extends Error {
  constructor(
    readonly platform: Platform,
    readonly failure: ChannelFailure,
    /** The platform's own words, with any token removed; safe to log and to show to staff. */
    detail: string,
  ) {
    super(`${platform}: ${failure.kind}${'reason' in failure ? ` (${failure.reason})` : ''}: ${detail}`);
    this.name = 'ChannelError';
  }
}

/** Sending side of a platform. Implementations throw ChannelError for every failure they can classify. */
export interface ChannelAdapter {
  readonly platform: Platform;
  readonly limits: ChannelLimits;
  send(chatId: string, message: OutboundMessage): Promise<SentMessage>;
}

/** Result of reading one webhook body: a message to process, or something to acknowledge and drop. */
export type WebhookUpdate = { kind: 'message'; message: InboundMessage } | { kind: 'ignored'; reason: string };

/** Thrown by a webhook parser for a body that is not a valid update of that platform: answered with 400. */
export class WebhookPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}

/**
 * Receiving side of a platform over HTTP. The ingress calls `verify` before it parses anything (answering 401 on
 * false), then `parse` on the JSON body.
 */
export interface WebhookReceiver {
  readonly platform: Platform;
  /** Mount path, e.g. `/webhooks/zalo`. */
  readonly path: string;
  /** Constant-time check of the secret header or signature over the raw body. */
  verify(headers: Record<string, string | string[] | undefined>, rawBody: Buffer): boolean;
  /** A message it returns satisfies inboundMessageSchema: the ingress stores it without checking it again. */
  parse(body: unknown): WebhookUpdate;
}

/** Long polling for development, when no public URL can receive webhooks. */
export interface UpdatePoller {
  readonly platform: Platform;
  /** Starts polling; each message is handed over and only then is the next update asked for. */
  start(onMessage: (message: InboundMessage) => Promise<void>): void;
  stop(): Promise<void>;
}
