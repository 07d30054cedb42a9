import { hash } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { inboundMessageSchema, type InboundMessage } from '../channel.js';
import { queuePrefix } from '../../platform/redis/queue-options.js';
import { channelKeys, INBOUND_QUEUE } from '../queues.js';
import { SerialBatcher } from './serial-batcher.js';

/** How long a delivered update id is remembered, to drop the platforms' repeated deliveries. */
const SEEN_TTL_SECONDS = 3 * 24 * 3600;
/** An unprocessed message older than this is dropped rather than kept forever. */
const PAYLOAD_TTL_SECONDS = 14 * 24 * 3600;

/**
 * For each update of a batch (KEYS: its seen and payload keys in turn; ARGV: the two lifetimes, then the sealed
 * payloads), marks it as seen and stores it, only if it was not seen before: 1 when stored, 0 for a duplicate. One
 * script for the whole batch, so the batch is stored entirely or (Redis refusing the first write) not at all.
 */
const ACCEPT_ONCE = `
local stored = {}
for i = 1, #KEYS / 2 do
  if redis.call('SET', KEYS[2 * i - 1], '1', 'NX', 'EX', ARGV[1]) then
    redis.call('SET', KEYS[2 * i], ARGV[i + 2], 'EX', ARGV[2])
    stored[i] = 1
  else
    stored[i] = 0
  end
end
return stored`;

export interface InboundJobData {
  ref: string;
}

export type AcceptResult = 'accepted' | 'duplicate';

/** A flood is written in batches of at most this many updates, to keep each script's argument list modest. */
const MAX_BATCH = 500;

const JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

/** An update ready to be written: its reference, its two keys and the sealed message. */
interface Prepared {
  ref: string;
  seenKey: string;
  payloadKey: string;
  sealed: string;
}

/**
 * Where incoming messages wait for processing. The message itself (sender, chat, text) is sealed in a record of its
 * own; the BullMQ job carries only a reference. A webhook is acknowledged only after `accept` resolved, that is
 * after Redis has both the record and the job.
 *
 * Updates arrive many at a time under load, so they are written in batches: the records of many updates by one
 * script, then the jobs of those stored by one `addBulk`. Each call still resolves with its own result, and only once
 * its record and job are written.
 */
export class Inbox {
  private readonly keys;
  readonly queue: Queue<InboundJobData>;
  private readonly records = new SerialBatcher<Prepared, boolean>((updates) => this.store(updates), MAX_BATCH);
  private readonly jobs = new SerialBatcher<Prepared, void>((updates) => this.enqueue(updates), MAX_BATCH);
  /**
   * Updates this process has stored whose jobs are still being added. A copy of one (the platform delivering again
   * while the first delivery is in flight) is answered as a duplicate only once that job is added, and fails with it.
   */
  private readonly enqueuing = new Map<string, Promise<void>>();

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
    return `in-${hash('sha256', `${message.platform}\0${message.updateId}`, 'hex').slice(0, 32)}`;
  }

  /** Checks the message against inboundMessageSchema, then accepts it. */
  async accept(message: InboundMessage): Promise<AcceptResult> {
    return this.acceptChecked(inboundMessageSchema.parse(message));
  }

  /** For a message already checked against inboundMessageSchema, as a WebhookReceiver's `parse` returns it. */
  async acceptChecked(valid: InboundMessage): Promise<AcceptResult> {
    const ref = Inbox.refOf(valid);
    const payloadKey = this.keys.inboundPayload(ref);
    const update = { ref, seenKey: this.keys.inboundSeen(valid.platform, ref), payloadKey, sealed: this.box.sealJson(valid, payloadKey) };
    if (!(await this.records.add(update))) {
      // A copy: the original's answer came first (earlier in this batch, or in an earlier one), so its job is known.
      await this.enqueuing.get(ref);
      return 'duplicate';
    }
    const enqueued = this.jobs.add(update);
    this.enqueuing.set(ref, enqueued);
    try {
      await enqueued;
    } finally {
      if (this.enqueuing.get(ref) === enqueued) this.enqueuing.delete(ref);
    }
    return 'accepted';
  }

  /** Marks each update as seen and stores it unless it was seen before; true for those stored. */
  private async store(updates: readonly Prepared[]): Promise<boolean[]> {
    const keys = updates.flatMap((update) => [update.seenKey, update.payloadKey]);
    const stored = (await this.redis.eval(ACCEPT_ONCE, keys.length, ...keys, SEEN_TTL_SECONDS, PAYLOAD_TTL_SECONDS, ...updates.map((update) => update.sealed))) as number[];
    return stored.map((flag) => flag === 1);
  }

  private async enqueue(stored: readonly Prepared[]): Promise<void[]> {
    try {
      await this.queue.addBulk(stored.map(({ ref }) => ({ name: 'message', data: { ref }, opts: { jobId: ref, ...JOB_OPTIONS } })));
    } catch (err) {
      // Not enqueued: forget the updates so the platform's retries are accepted instead of dropped as duplicates. A
      // job the failed call did add goes too: left waiting without its record, it would swallow the retry's job id.
      await Promise.allSettled([this.redis.del(...stored.flatMap((update) => [update.seenKey, update.payloadKey])), ...stored.map(({ ref }) => this.queue.remove(ref))]);
      throw err;
    }
    return stored.map(() => undefined);
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
