import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { chatKindSchema, outboundMessageSchema, PLATFORMS, type Platform } from '../channel.js';
import { queuePrefix } from '../../platform/redis/queue-options.js';
import { channelKeys, outboundQueueName } from '../queues.js';
import { DeliveryRecords } from './deliveries.js';

/** Replies to a person go ahead of bulk broadcasts (BullMQ: a lower number is served first). */
export const LANE_PRIORITY = { reply: 1, broadcast: 10 } as const;
export type Lane = keyof typeof LANE_PRIORITY;

/** Job ids double as delivery ids: BullMQ refuses `:` and all-digit ids. */
export const deliveryIdSchema = z.string().regex(/^(?!\d+$)[A-Za-z0-9_.-]{1,200}$/, 'expected letters, digits, "_", "." or "-"');

export const outboundPayloadSchema = z.object({
  chatId: z.string().min(1),
  chatKind: chatKindSchema,
  message: outboundMessageSchema,
});
export type OutboundPayload = z.infer<typeof outboundPayloadSchema>;

/** Job data holds only the delivery id: chat ids and text stay sealed in the payload record. */
export interface OutboundJobData {
  id: string;
}

export interface OutboundRequest extends OutboundPayload {
  /** Deterministic per logical message (e.g. inbound update + reply number), so repeating a request is harmless. */
  id: string;
  platform: Platform;
  lane: Lane;
}

const PAYLOAD_TTL_SECONDS = 30 * 24 * 3600;
export const OUTBOUND_ATTEMPTS = 8;

export class Outbox {
  private readonly queues = new Map<Platform, Queue<OutboundJobData>>();
  private readonly keys;
  readonly deliveries: DeliveryRecords;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly box: SealedBox,
    /** A connection for the queues: BullMQ keeps it open. */
    connection: Redis,
  ) {
    this.keys = channelKeys(prefix);
    this.deliveries = new DeliveryRecords(redis, prefix);
    for (const platform of PLATFORMS) {
      this.queues.set(platform, new Queue(outboundQueueName(platform), { connection, prefix: queuePrefix(prefix) }));
    }
  }

  queue(platform: Platform): Queue<OutboundJobData> {
    return this.queues.get(platform)!;
  }

  send(request: OutboundRequest): Promise<void> {
    return this.sendMany([request]);
  }

  /**
   * Stores, records and queues many messages in a few round trips. Each step keeps what is already there, so
   * sending the same request again (a retried fan-out, a duplicated trigger) never queues a second message.
   */
  async sendMany(requests: readonly OutboundRequest[]): Promise<void> {
    const checked = requests.map((request) => ({ ...request, id: deliveryIdSchema.parse(request.id), payload: outboundPayloadSchema.parse(request) }));
    const pipeline = this.redis.pipeline();
    for (const { id, payload } of checked) {
      const key = this.keys.outboundPayload(id);
      pipeline.set(key, this.box.sealJson(payload, key), 'EX', PAYLOAD_TTL_SECONDS, 'NX');
    }
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
    await this.deliveries.open(checked);
    for (const platform of PLATFORMS) {
      const jobs = checked.filter((r) => r.platform === platform).map((r) => ({ name: 'send', data: { id: r.id }, opts: this.jobOptions(r.id, r.lane) }));
      if (jobs.length > 0) await this.queue(platform).addBulk(jobs);
    }
  }

  async payload(id: string): Promise<OutboundPayload | undefined> {
    const key = this.keys.outboundPayload(id);
    const sealed = await this.redis.get(key);
    return sealed === null ? undefined : outboundPayloadSchema.parse(this.box.openJson(sealed, key));
  }

  /** Puts a failed or interrupted delivery back in its queue; false when there is nothing to retry. */
  async retry(id: string): Promise<boolean> {
    const delivery = await this.deliveries.reopen(id);
    if (!delivery) return false;
    const job = await this.queue(delivery.platform).getJob(id);
    await job?.remove();
    await this.enqueue(delivery.platform, id, delivery.lane);
    return true;
  }

  /** Removes every trace of a message (payload, delivery record, job), for data that must not outlive its purpose. */
  async forget(id: string): Promise<void> {
    const delivery = await this.deliveries.get(id);
    if (delivery) await (await this.queue(delivery.platform).getJob(id))?.remove().catch(() => undefined);
    await this.redis.del(this.keys.outboundPayload(id), this.keys.delivery(id));
  }

  private async enqueue(platform: Platform, id: string, lane: Lane): Promise<void> {
    await this.queue(platform).add('send', { id }, this.jobOptions(id, lane));
  }

  private jobOptions(id: string, lane: Lane): JobsOptions {
    return {
      jobId: id,
      priority: LANE_PRIORITY[lane],
      attempts: OUTBOUND_ATTEMPTS,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 50_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }
}
