import {
  ChannelError,
  type ChannelAdapter,
  type ChannelLimits,
  type OutboundMessage,
  type SentMessage,
} from '../channel.js';
import type { ZaloBotApiClient } from './api-client.js';

/** The platform's limit for a message text and a photo caption. */
export const ZALO_BOT_MAX_TEXT = 2000;

export interface ZaloBotChannelOptions {
  client: ZaloBotApiClient;
  /** `maxTextLength` may be at most ZALO_BOT_MAX_TEXT; the rates come from configuration. */
  limits: ChannelLimits;
}

/**
 * Sends through the Zalo Bot Platform. It never splits text: the outbound layer splits to `limits.maxTextLength`
 * first, so a longer text here is a bug upstream and is refused without calling the platform. Lengths are counted
 * in UTF-16 units, which is never fewer than the characters the platform counts.
 */
export class ZaloBotChannel implements ChannelAdapter {
  readonly platform = 'zalo' as const;
  readonly limits: ChannelLimits;
  private readonly client: ZaloBotApiClient;

  constructor(options: ZaloBotChannelOptions) {
    const max = options.limits.maxTextLength;
    if (!Number.isInteger(max) || max < 1 || max > ZALO_BOT_MAX_TEXT) {
      throw new RangeError(`Zalo maxTextLength must be an integer from 1 to ${ZALO_BOT_MAX_TEXT}.`);
    }
    this.client = options.client;
    this.limits = options.limits;
  }

  async send(chatId: string, message: OutboundMessage): Promise<SentMessage> {
    if (message.kind === 'text') {
      this.checkLength('text', message.text, 1);
      const sent = await this.client.sendMessage(chatId, message.text);
      return { messageId: sent.message_id };
    }
    // The platform wants a caption of at least one character when there is one, so an empty one is left out.
    const caption = message.caption || undefined;
    if (caption !== undefined) this.checkLength('caption', caption, 1);
    const sent = await this.client.sendPhoto(chatId, message.url, caption);
    return { messageId: sent.message_id };
  }

  private checkLength(what: string, text: string, min: number): void {
    const max = this.limits.maxTextLength;
    if (text.length < min || text.length > max) {
      throw new ChannelError('zalo', { kind: 'rejected' }, `${what} of ${text.length} characters; ${min} to ${max} allowed`);
    }
  }
}
