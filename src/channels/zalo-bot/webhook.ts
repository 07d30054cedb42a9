import { WebhookPayloadError, type WebhookReceiver, type WebhookUpdate } from '../channel.js';
import { headerValue, secretsEqual } from '../security.js';
import { webhookBodySchema } from './schemas.js';
import { normalizeUpdate } from './updates.js';

export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';
/** The platform sends back, in this header, the `secret_token` given to setWebhook. */
export const ZALO_SECRET_HEADER = 'x-bot-api-secret-token';

export interface ZaloBotWebhookOptions {
  /** The `secret_token` registered with setWebhook: 8 to 256 characters. */
  secret: string;
}

export class ZaloBotWebhook implements WebhookReceiver {
  readonly platform = 'zalo' as const;
  readonly path = ZALO_WEBHOOK_PATH;
  private readonly secret: string;

  constructor(options: ZaloBotWebhookOptions) {
    // The platform refuses other lengths, so a webhook with such a secret could never be registered.
    if (options.secret.length < 8 || options.secret.length > 256) {
      throw new RangeError('The Zalo webhook secret must be 8 to 256 characters.');
    }
    this.secret = options.secret;
  }

  /** The secret header is the whole check: the platform does not sign the body. */
  verify(headers: Record<string, string | string[] | undefined>): boolean {
    return secretsEqual(headerValue(headers, ZALO_SECRET_HEADER), this.secret);
  }

  parse(body: unknown): WebhookUpdate {
    const parsed = webhookBodySchema.safeParse(body);
    if (!parsed.success) throw new WebhookPayloadError('not a Zalo Bot update');
    return normalizeUpdate('result' in parsed.data ? parsed.data.result : parsed.data);
  }
}
