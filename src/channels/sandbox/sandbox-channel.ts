import type { ChannelAdapter, ChannelLimits, OutboundMessage, SentMessage } from '../channel.js';
import type { SandboxStore } from './sandbox-store.js';

/** Zalo's text limit, so the demo splits long messages as a real group would see them. */
export const SANDBOX_LIMITS: ChannelLimits = {
  maxTextLength: 2000,
  messagesPerSecond: 50,
  groupMessagesPerMinute: 600,
  privateMessagesPerMinute: 600,
};

export class SandboxChannel implements ChannelAdapter {
  readonly platform = 'sandbox' as const;
  readonly limits = SANDBOX_LIMITS;

  constructor(private readonly store: SandboxStore) {}

  async send(chatId: string, message: OutboundMessage): Promise<SentMessage> {
    const position =
      message.kind === 'text'
        ? await this.store.append(chatId, { from: 'bot', text: message.text })
        : await this.store.append(chatId, { from: 'bot', text: message.caption ?? '', photoUrl: message.url });
    // The position alone: delivery records keep message ids in clear, and a chat id must not be among them.
    return { messageId: String(position) };
  }
}
