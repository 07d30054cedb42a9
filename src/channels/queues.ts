import type { SealedBox } from '../platform/crypto/sealed-box.js';
import type { Platform } from './channel.js';

export const INBOUND_QUEUE = 'inbound';

/** One outbound queue per platform, so each has its own global rate limit. */
export const outboundQueueName = (platform: Platform): string => `outbound-${platform}`;

/** Keys of the channel layer's own records. */
export const channelKeys = (prefix: string) => ({
  inboundSeen: (platform: Platform, hashedUpdateId: string) => `${prefix}:channels:inbound-seen:${platform}:${hashedUpdateId}`,
  inboundPayload: (ref: string) => `${prefix}:channels:inbound:${ref}`,
  outboundPayload: (id: string) => `${prefix}:channels:outbound:${id}`,
  delivery: (id: string) => `${prefix}:channels:delivery:${id}`,
  chatStatus: (platform: Platform, hashedChatId: string) => `${prefix}:channels:chat-status:${platform}:${hashedChatId}`,
  chatRate: (platform: Platform, hashedChatId: string) => `${prefix}:channels:chat-rate:${platform}:${hashedChatId}`,
});

/** Chat ids of people are identities: records are keyed by a keyed hash, never the id itself. */
export const chatHash = (box: SealedBox, platform: Platform, chatId: string): string => box.hash('chat', `${platform}:${chatId}`);
