import { ChannelError, type ChannelAdapter, type ChannelLimits, type OutboundMessage, type SentMessage } from '../channel.js';
import { TelegramApi } from './api.js';

/** Longest text of one message, in characters after entity parsing (we send no entities). */
export const TELEGRAM_MAX_TEXT = 4096;
/** Longest photo caption. */
export const TELEGRAM_MAX_CAPTION = 1024;

/** What Telegram accepts as a webhook secret: it comes back in the `X-Telegram-Bot-Api-Secret-Token` header. */
export const TELEGRAM_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

export interface TelegramChannelOptions {
  token: string;
  apiRoot: string;
  limits: ChannelLimits;
  /** Deadline for one API call; a send that takes longer fails as transient. */
  requestTimeoutMs?: number;
}

export interface TelegramBotInfo {
  id: string;
  username: string;
  canJoinGroups: boolean;
  /** False while privacy mode is on: in groups the bot then sees only commands and replies to itself. */
  canReadAllGroupMessages: boolean;
}

/**
 * Telegram limits count characters, not UTF-16 units; a string is never longer in characters than in units, so
 * the cheap `length` settles most texts.
 */
function characterCount(text: string, limit: number): number {
  return text.length <= limit ? text.length : [...text].length;
}

/** Sends through the Telegram Bot API as plain text: no parse mode, so nothing in a campaign text is markup. */
export class TelegramChannel implements ChannelAdapter {
  readonly platform = 'telegram' as const;
  readonly limits: ChannelLimits;
  private readonly api: TelegramApi;

  constructor(options: TelegramChannelOptions) {
    const { maxTextLength } = options.limits;
    if (!Number.isInteger(maxTextLength) || maxTextLength < 1 || maxTextLength > TELEGRAM_MAX_TEXT) {
      throw new RangeError(`Telegram text limit must be 1-${TELEGRAM_MAX_TEXT} characters`);
    }
    this.limits = options.limits;
    this.api = new TelegramApi(options);
  }

  async send(chatId: string, message: OutboundMessage): Promise<SentMessage> {
    if (message.kind === 'text') {
      this.check(message.text, 'text', this.limits.maxTextLength, false);
      const sent = await this.api.sendMessage(chatId, message.text);
      return { messageId: String(sent.message_id) };
    }
    const caption = message.caption || undefined;
    if (caption !== undefined) this.check(caption, 'caption', Math.min(this.limits.maxTextLength, TELEGRAM_MAX_CAPTION), true);
    const sent = await this.api.sendPhoto(chatId, message.url, caption);
    return { messageId: String(sent.message_id) };
  }

  /** Who the token belongs to, for the operator's setup check. */
  async getMe(): Promise<TelegramBotInfo> {
    const me = await this.api.getMe();
    return {
      id: String(me.id),
      username: me.username,
      canJoinGroups: me.can_join_groups,
      canReadAllGroupMessages: me.can_read_all_group_messages,
    };
  }

  /** Points Telegram at our webhook; it must be an HTTPS URL that Telegram can reach. */
  async setWebhook(url: string, secret: string): Promise<void> {
    if (!TELEGRAM_SECRET_PATTERN.test(secret)) {
      throw new RangeError('Telegram webhook secret must be 1-256 letters, digits, "_" or "-"');
    }
    await this.api.setWebhook(url, secret);
  }

  /** Needed before polling: Telegram refuses getUpdates while a webhook is set. */
  async deleteWebhook(): Promise<void> {
    await this.api.deleteWebhook();
  }

  /** Refuses here what Telegram would refuse anyway, without spending a request or a rate-limit slot on it. */
  private check(text: string, what: 'text' | 'caption', limit: number, mayBeBlank: boolean): void {
    if (!mayBeBlank && text.trim().length === 0) {
      throw new ChannelError('telegram', { kind: 'rejected' }, `message ${what} is empty`);
    }
    const length = characterCount(text, limit);
    if (length > limit) {
      throw new ChannelError('telegram', { kind: 'rejected' }, `message ${what} is ${length} characters, over ${limit}`);
    }
  }
}
