import type { Redis } from 'ioredis';
import { z } from 'zod';
import { platformSchema } from '../channel.js';
import { channelKeys } from '../queues.js';

/**
 * queued → sending → sent, or → failed / skipped. `unknown` is a send interrupted after the request left (a worker
 * killed mid-request): the platform may or may not have it, and it is not sent again automatically, because a
 * duplicate in a residents' group is worse than a gap an operator can see and retry.
 */
export const deliveryStatusSchema = z.enum(['queued', 'sending', 'sent', 'failed', 'skipped', 'unknown']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;
export const TERMINAL_STATUSES: readonly DeliveryStatus[] = ['sent', 'failed', 'skipped', 'unknown'];

export const deliverySchema = z.object({
  id: z.string(),
  platform: platformSchema,
  lane: z.enum(['reply', 'broadcast']),
  status: deliveryStatusSchema,
  partsSent: z.coerce.number().int().nonnegative().default(0),
  messageIds: z.string().default(''),
  reason: z.string().optional(),
  updatedAt: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export class DeliveryRecords {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = channelKeys(prefix);
  }

  /** Creates each record unless it exists: a repeated request must not reset a delivery already under way. */
  async open(records: readonly { id: string; platform: string; lane: string }[]): Promise<void> {
    const at = this.now().toISOString();
    const pipeline = this.redis.pipeline();
    for (const { id, platform, lane } of records) {
      const key = this.keys.delivery(id);
      pipeline.hsetnx(key, 'id', id).hsetnx(key, 'platform', platform).hsetnx(key, 'lane', lane).hsetnx(key, 'status', 'queued').hsetnx(key, 'updatedAt', at);
    }
    await pipeline.exec();
  }

  /** Many records in one round trip; missing ones come back undefined. */
  async getMany(ids: readonly string[]): Promise<(Delivery | undefined)[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.delivery(id));
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, raw]) => {
      if (err) throw err;
      const fields = raw as Record<string, string>;
      return Object.keys(fields).length === 0 ? undefined : deliverySchema.parse(fields);
    });
  }

  async get(id: string): Promise<Delivery | undefined> {
    const raw = await this.redis.hgetall(this.keys.delivery(id));
    return Object.keys(raw).length === 0 ? undefined : deliverySchema.parse(raw);
  }

  private async set(id: string, fields: Record<string, string | number>): Promise<void> {
    await this.redis.hset(this.keys.delivery(id), { ...fields, updatedAt: this.now().toISOString() });
  }

  markSending(id: string): Promise<void> {
    return this.set(id, { status: 'sending' });
  }

  /** A part went out; the record says sent once the last part did. */
  async partSent(id: string, partIndex: number, messageId: string, isLast: boolean): Promise<void> {
    const current = await this.get(id);
    const ids = [current?.messageIds, messageId].filter(Boolean).join(',');
    await this.set(id, { partsSent: partIndex + 1, messageIds: ids, status: isLast ? 'sent' : 'queued' });
  }

  /** The platform answered with an error, so nothing was sent: the job may try again. */
  backToQueued(id: string, reason: string): Promise<void> {
    return this.set(id, { status: 'queued', reason });
  }

  finish(id: string, status: 'failed' | 'skipped' | 'unknown', reason: string): Promise<void> {
    return this.set(id, { status, reason });
  }

  /** An operator's retry: only failed or unknown deliveries go back to the queue; returns the one reopened. */
  async reopen(id: string): Promise<Delivery | undefined> {
    const current = await this.get(id);
    if (!current || (current.status !== 'failed' && current.status !== 'unknown')) return undefined;
    await this.set(id, { status: 'queued', reason: `retried after: ${current.reason ?? current.status}` });
    return current;
  }
}
