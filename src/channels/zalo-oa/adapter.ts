import {
  ChannelError,
  type ChannelAdapter,
  type ChannelLimits,
  type OutboundMessage,
  type SentMessage,
} from '../channel.js';
import type { ZaloOaApiClient } from './api-client.js';

/** The Open API's limit for a message text and for an image's caption. */
export const ZALO_OA_MAX_TEXT = 2000;

/** One adapter reaches both the OA's groups and its followers, so each chat id says which it is. */
export type ZaloOaChat = { kind: 'group'; groupId: string } | { kind: 'user'; userId: string };

export function groupChatId(groupId: string): string {
  return `group:${groupId}`;
}

export function userChatId(userId: string): string {
  return `user:${userId}`;
}

/** Undefined for anything that is not `group:<id>` or `user:<id>`. */
export function parseZaloOaChatId(chatId: string): ZaloOaChat | undefined {
  const match = /^(group|user):([^\s:]{1,190})$/.exec(chatId);
  if (!match?.[2]) return undefined;
  return match[1] === 'group' ? { kind: 'group', groupId: match[2] } : { kind: 'user', userId: match[2] };
}

export interface ZaloOaChannelOptions {
  client: Pick<ZaloOaApiClient, 'sendGroupText' | 'sendGroupImage' | 'sendUserText' | 'sendUserImage'>;
  /** `maxTextLength` may be at most ZALO_OA_MAX_TEXT; the rates come from configuration. */
  limits: ChannelLimits;
}

/**
 * Sends through a Zalo Official Account: into groups with the Group Message Framework, to a person as a
 * consultation message. It never splits text: the outbound layer splits to `limits.maxTextLength` first, so a
 * longer text here is a bug upstream and is refused without calling Zalo. Text is sent in NFC, the form Zalo
 * counts in, and measured in UTF-16 units, never fewer than the characters Zalo counts.
 */
export class ZaloOaChannel implements ChannelAdapter {
  readonly platform = 'zalo-oa' as const;
  readonly limits: ChannelLimits;
  private readonly client: ZaloOaChannelOptions['client'];

  constructor(options: ZaloOaChannelOptions) {
    const max = options.limits.maxTextLength;
    if (!Number.isInteger(max) || max < 1 || max > ZALO_OA_MAX_TEXT) {
      throw new RangeError(`Zalo OA maxTextLength must be an integer from 1 to ${ZALO_OA_MAX_TEXT}.`);
    }
    this.client = options.client;
    this.limits = options.limits;
  }

  async send(chatId: string, message: OutboundMessage): Promise<SentMessage> {
    const chat = parseZaloOaChatId(chatId);
    if (!chat) throw new ChannelError('zalo-oa', { kind: 'rejected' }, 'the chat id is neither group:<id> nor user:<id>');
    if (message.kind === 'text') {
      const text = this.fitting('text', message.text);
      return chat.kind === 'group'
        ? this.client.sendGroupText(chat.groupId, text)
        : this.client.sendUserText(chat.userId, text);
    }
    const caption = message.caption ? this.fitting('caption', message.caption) : undefined;
    return chat.kind === 'group'
      ? this.client.sendGroupImage(chat.groupId, message.url, caption)
      : this.client.sendUserImage(chat.userId, message.url, caption);
  }

  private fitting(what: string, text: string): string {
    const normalized = text.normalize('NFC');
    const max = this.limits.maxTextLength;
    if (normalized.length < 1 || normalized.length > max) {
      const detail = `${what} of ${normalized.length} characters; 1 to ${max} allowed`;
      throw new ChannelError('zalo-oa', { kind: 'rejected' }, detail);
    }
    return normalized;
  }
}
