import { createHash } from 'node:crypto';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from '../fakes/telegram-fake.js';
import { ZaloBotFake, zaloUpdate } from '../fakes/zalo-bot-fake.js';
import { ZaloOaFake } from '../fakes/zalo-oa-fake.js';

/** The three platforms that post updates to the service. */
export const WEBHOOK_PLATFORMS = ['zalo', 'zalo-oa', 'telegram'] as const;
export type WebhookPlatform = (typeof WEBHOOK_PLATFORMS)[number];

export const WEBHOOK_PATHS: Record<WebhookPlatform, string> = { zalo: '/webhooks/zalo', 'zalo-oa': '/webhooks/zalo-oa', telegram: '/webhooks/telegram' };
export const ZALO_BOT_TOKEN = '1618033988:ZaloWebhookTestSecret';
export const ZALO_WEBHOOK_SECRET = 'zalo-webhook-secret_0123456789';
export const TELEGRAM_WEBHOOK_SECRET = 'tg-webhook-secret_0123456789';
export const ZALO_OA_SECRET_KEY = 'oa-secret-key-for-tests';

/** A request as a platform would send it: the path, its headers (secret or signature included) and the raw body. */
export interface WebhookRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One message from a person in a private chat, as an update of one platform; the ids make it unique. */
export interface PrivateText {
  /** Digits only, so that it is a valid chat id on every platform (Telegram's are numbers). */
  chatId: string;
  /** Digits only, for the same reason. */
  updateId: string;
  text: string;
}

/** Local fakes of the three platforms, with the settings that point a service's webhooks and senders at them. */
export class WebhookPlatforms {
  readonly zalo = new ZaloBotFake({ token: ZALO_BOT_TOKEN });
  readonly zaloOa = new ZaloOaFake();
  readonly telegram = new TelegramFake({ maxLongPollMs: 200 });
  env: Record<string, string> = {};

  async start(): Promise<this> {
    const [zaloBase, oaBase, telegramRoot] = await Promise.all([this.zalo.start(), this.zaloOa.start(), this.telegram.start()]);
    this.env = {
      ZALO_BOT_TOKEN,
      ZALO_BOT_MODE: 'webhook',
      ZALO_BOT_WEBHOOK_SECRET: ZALO_WEBHOOK_SECRET,
      ZALO_BOT_API_BASE: zaloBase,
      ZALO_OA_APP_ID: this.zaloOa.appId,
      ZALO_OA_APP_SECRET: this.zaloOa.appSecret,
      ZALO_OA_SECRET_KEY,
      ZALO_OA_REFRESH_TOKEN: this.zaloOa.currentRefreshToken,
      ZALO_OA_API_BASE: oaBase,
      ZALO_OA_OAUTH_BASE: oaBase,
      TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegramRoot,
    };
    return this;
  }

  async close(): Promise<void> {
    await Promise.all([this.zalo.close(), this.zaloOa.close(), this.telegram.close()]);
  }

  /** Messages each platform's fake accepted from the service, by the chat id the test gave. */
  sentTo(platform: WebhookPlatform, chatId: string): number {
    if (platform === 'zalo') return this.zalo.sent.filter((s) => s.chatId === chatId).length;
    if (platform === 'zalo-oa') return this.zaloOa.sent.filter((s) => s.chatId === `user:${chatId}`).length;
    return this.telegram.sent.filter((s) => s.chatId === chatId).length;
  }

  /** A well-formed update carrying `message`, with the proof of origin its platform adds. */
  privateText(platform: WebhookPlatform, message: PrivateText): WebhookRequest {
    const json = { 'content-type': 'application/json' };
    const path = WEBHOOK_PATHS[platform];
    if (platform === 'zalo') {
      const update = zaloUpdate({ chatId: message.chatId, text: message.text });
      (update.message as Record<string, unknown>).message_id = message.updateId;
      return { path, headers: { ...json, 'x-bot-api-secret-token': ZALO_WEBHOOK_SECRET }, body: JSON.stringify({ ok: true, result: update }) };
    }
    if (platform === 'zalo-oa') {
      return this.signedZaloOa({
        app_id: this.zaloOa.appId,
        event_name: 'user_send_text',
        timestamp: String(Date.now()),
        sender: { id: message.chatId },
        recipient: { id: 'oa-1' },
        message: { text: message.text, msg_id: message.updateId },
      });
    }
    const update = {
      update_id: Number(message.updateId),
      message: {
        message_id: Number(message.updateId),
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(message.chatId), type: 'private' },
        from: { id: Number(message.chatId), is_bot: false, first_name: 'Lan' },
        text: message.text,
      },
    };
    return { path, headers: { ...json, 'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET }, body: JSON.stringify(update) };
  }

  /** A Zalo OA event with a valid signature over exactly this body. */
  signedZaloOa(event: unknown): WebhookRequest {
    const body = JSON.stringify(event);
    return { path: WEBHOOK_PATHS['zalo-oa'], headers: { 'content-type': 'application/json', 'x-zevent-signature': this.zaloOaSignature(body) }, body };
  }

  /** The signature Zalo would put on these bytes: over the body's own `timestamp` field, as the service reads it. */
  zaloOaSignature(raw: string | Buffer): string {
    const timestamp = timestampOf(raw.toString());
    const signed = typeof timestamp === 'string' || typeof timestamp === 'number' ? String(timestamp) : '';
    const digest = createHash('sha256').update(this.zaloOa.appId).update(raw).update(signed).update(ZALO_OA_SECRET_KEY);
    return `mac=${digest.digest('hex')}`;
  }
}

function timestampOf(raw: string): unknown {
  try {
    const body: unknown = JSON.parse(raw);
    return typeof body === 'object' && body !== null ? (body as { timestamp?: unknown }).timestamp : undefined;
  } catch {
    return undefined;
  }
}
