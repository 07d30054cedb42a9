import type { WebhookReceiver, WebhookUpdate } from '../channel.js';
import { headerValue, secretsEqual } from '../security.js';
import { TELEGRAM_SECRET_PATTERN } from './adapter.js';
import { normaliseUpdate } from './update.js';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** Telegram repeats the secret given to setWebhook in this header on every delivery. */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramWebhookOptions {
  /** The same secret that was given to setWebhook. */
  secret: string;
}

export class TelegramWebhook implements WebhookReceiver {
  readonly platform = 'telegram' as const;
  readonly path = TELEGRAM_WEBHOOK_PATH;
  private readonly secret: string;

  constructor(options: TelegramWebhookOptions) {
    if (!TELEGRAM_SECRET_PATTERN.test(options.secret)) {
      throw new RangeError('Telegram webhook secret must be 1-256 letters, digits, "_" or "-"');
    }
    this.secret = options.secret;
  }

  /** Telegram signs nothing: the secret header is the whole proof that a delivery came from it. */
  verify(headers: Record<string, string | string[] | undefined>): boolean {
    return secretsEqual(headerValue(headers, TELEGRAM_SECRET_HEADER), this.secret);
  }

  parse(body: unknown): WebhookUpdate {
    return normaliseUpdate(body);
  }
}
