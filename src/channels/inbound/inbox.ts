import { createHash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { inboundMessageSchema, type InboundMessage } from '../channel.js';
import { queuePrefix } from '../../platform/redis/queue-options.js';
import { channelKeys, INBOUND_QUEUE } from '../queues.js';

/** How long a delivered update id is remembered, to drop the platforms' repeated deliveries. */
const SEEN_TTL_SECONDS = 3 * 24 * 3600;
/** An unprocessed message older than this is dropped rather than kept forever. */
const PAYLOAD_TTL_SECONDS = 14 * 24 * 3600;

/** Marks the update as seen and stores it, only if it was not seen before; 1 when stored. */
const ACCEPT_ONCE = `
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) == false then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return 1`;

export interface InboundJobData {
  ref: string;
}

export type AcceptResult = 'accepted' | 'duplicate';

/**
 * Where incoming messages wait for processing. The message itself (sender, chat, text) is sealed in a record of its
 * own; the BullMQ job carries only a reference. A webhook is acknowledged only after `accept` resolved, that is
 * after Redis has both the record and the job.
 */
export class Inbox {
  private readonly keys;
  readonly queue: Queue<InboundJobData>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly box: SealedBox,
    connection: Redis,
  ) {
    this.keys = channelKeys(prefix);
    this.queue = new Queue(INBOUND_QUEUE, { connection, prefix: queuePrefix(prefix) });
  }

  /** Reference of a platform update: stable, so the same update always maps to the same job. */
  static refOf(message: Pick<InboundMessage, 'platform' | 'updateId'>): string {
    return `in-${createHash('sha256').update(`${message.platform}\0${message.updateId}`).digest('hex').slice(0, 32)}`;
  }

  async accept(message: InboundMessage): Promise<AcceptResult> {
    const valid = inboundMessageSchema.parse(message);
    const ref = Inbox.refOf(valid);
    const seenKey = this.keys.inboundSeen(valid.platform, ref);
    const payloadKey = this.keys.inboundPayload(ref);
    const stored = await this.redis.eval(ACCEPT_ONCE, 2, seenKey, payloadKey, SEEN_TTL_SECONDS, this.box.sealJson(valid, payloadKey), PAYLOAD_TTL_SECONDS);
    if (stored !== 1) return 'duplicate';
    try {
      await this.queue.add('message', { ref }, { jobId: ref, attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } });
    } catch (err) {
      // Not enqueued: forget the update so the platform's retry is accepted instead of dropped as a duplicate.
      await this.redis.del(seenKey, payloadKey).catch(() => undefined);
      throw err;
    }
    return 'accepted';
  }

  async take(ref: string): Promise<InboundMessage | undefined> {
    const key = this.keys.inboundPayload(ref);
    const sealed = await this.redis.get(key);
    return sealed === null ? undefined : inboundMessageSchema.parse(this.box.openJson(sealed, key));
  }

  /** Processing finished: what the person wrote is not kept any longer than that. */
  async done(ref: string): Promise<void> {
    await this.redis.del(this.keys.inboundPayload(ref));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
