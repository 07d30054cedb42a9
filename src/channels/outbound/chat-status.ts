import type { Redis } from 'ioredis';
import type { PermanentReason, Platform } from '../channel.js';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { channelKeys, chatHash } from '../queues.js';

/**
 * Chats that told us they will not take messages (blocked the bot, removed it from the group). They are marked,
 * and sends to them are skipped instead of retried. Chat ids are stored only as keyed hashes.
 */
export class ChatStatusStore {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly box: SealedBox,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = channelKeys(prefix);
  }

  private key(platform: Platform, chatId: string): string {
    return this.keys.chatStatus(platform, chatHash(this.box, platform, chatId));
  }

  async markUnreachable(platform: Platform, chatId: string, reason: PermanentReason): Promise<void> {
    await this.redis.hset(this.key(platform, chatId), { reason, since: this.now().toISOString() });
  }

  async unreachableReason(platform: Platform, chatId: string): Promise<PermanentReason | undefined> {
    return ((await this.redis.hget(this.key(platform, chatId), 'reason')) as PermanentReason | null) ?? undefined;
  }

  /** A person who writes to the bot again, or a group that registers again, can be reached again. */
  async markReachable(platform: Platform, chatId: string): Promise<void> {
    await this.redis.del(this.key(platform, chatId));
  }
}
