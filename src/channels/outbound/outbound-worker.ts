import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import type { Logger } from '../../platform/logger.js';
import type { PlatformSendMetrics } from '../../platform/metrics/send-metrics.js';
import { ChannelError, type ChannelAdapter, type ChannelLimits, type OutboundMessage, type PermanentReason, type Platform } from '../channel.js';
import { workerOptions, type WorkerSettings } from '../../platform/redis/queue-options.js';
import { channelKeys, chatHash, outboundQueueName } from '../queues.js';
import { ChatRateLimiter } from './chat-limiter.js';
import type { ChatStatusStore } from './chat-status.js';
import { TERMINAL_STATUSES } from './deliveries.js';
import type { OutboundJobData, OutboundPayload, Outbox } from './outbox.js';
import { splitText } from './split-text.js';

export interface OutboundWorkerOptions extends WorkerSettings {
  adapter: ChannelAdapter;
  outbox: Outbox;
  chatStatus: ChatStatusStore;
  box: SealedBox;
  /** Redis for the per-chat limiter (commands). */
  redis: Redis;
  logger: Logger;
  concurrency?: number;
  /** Where send results and rate-limit waits are counted. */
  metrics?: PlatformSendMetrics;
  /** Told when a chat refuses messages for good (e.g. so the group registry can mark the group). */
  onUnreachable?: (platform: Platform, chatId: string, reason: PermanentReason) => Promise<void>;
}

/** A long text becomes several messages; a photo's caption that does not fit continues as text. */
export function messageParts(message: OutboundMessage, limits: ChannelLimits): OutboundMessage[] {
  if (message.kind === 'text') return splitText(message.text, limits.maxTextLength).map((text) => ({ kind: 'text', text }));
  const [caption, ...rest] = message.caption ? splitText(message.caption, limits.maxCaptionLength ?? limits.maxTextLength) : [];
  const continued = rest.length ? splitText(rest.join(' '), limits.maxTextLength) : [];
  return [{ ...message, caption }, ...continued.map((text) => ({ kind: 'text' as const, text }))];
}

/**
 * BullMQ's limiter counts in fixed windows, so `rate` per 1,000 ms lets up to twice the rate through across a window
 * boundary (measured: 396 sends in one second at 200/s). Quarter-second windows keep any one second near the rate
 * (`rate` + a quarter) for the same average; the window is stretched so the count per window is a whole number.
 */
export function limiterFor(ratePerSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(ratePerSecond / 4));
  return { max, duration: Math.round((1_000 * max) / ratePerSecond) };
}

/**
 * Sends one platform's queued messages: the queue's limiter keeps to the platform-wide rate, a Redis limiter keeps
 * to the per-chat rate (a busy chat's job is delayed without holding up other chats), a 429 pauses the whole queue
 * for exactly the time the platform asked, and a chat that refuses messages is marked and skipped from then on.
 */
export function startOutboundWorker(options: OutboundWorkerOptions): Worker<OutboundJobData> {
  const { adapter, outbox, chatStatus, box, logger, metrics } = options;
  const { deliveries } = outbox;
  const limiter = new ChatRateLimiter(options.redis);
  const keys = channelKeys(options.prefix);
  const platform = adapter.platform;
  const log = logger.child({ platform });

  const ruleFor = (payload: OutboundPayload) =>
    payload.chatKind === 'group'
      ? { perMinute: adapter.limits.groupMessagesPerMinute, burst: Math.min(3, adapter.limits.groupMessagesPerMinute) }
      : { perMinute: adapter.limits.privateMessagesPerMinute, burst: Math.min(3, adapter.limits.privateMessagesPerMinute) };

  const sendQueued = async (job: Job<OutboundJobData>, token?: string): Promise<string> => {
    const { id } = job.data;
    const delivery = await deliveries.get(id);
    if (!delivery || TERMINAL_STATUSES.includes(delivery.status)) return delivery?.status ?? 'missing';
    if (delivery.status === 'sending') {
      await deliveries.finish(id, 'unknown', 'interrupted while sending; not repeated automatically');
      log.warn({ delivery: id }, 'delivery interrupted mid-send; marked unknown');
      metrics?.count('interrupted');
      return 'unknown';
    }
    const payload = await outbox.payload(id);
    if (!payload) {
      await deliveries.finish(id, 'failed', 'message expired before it could be sent');
      metrics?.count('expired');
      return 'failed';
    }
    const unreachable = await chatStatus.unreachableReason(platform, payload.chatId);
    if (unreachable) {
      await deliveries.finish(id, 'skipped', `chat unreachable: ${unreachable}`);
      metrics?.count('skipped_unreachable');
      return 'skipped';
    }

    const parts = messageParts(payload.message, adapter.limits);
    const hashedChat = chatHash(box, platform, payload.chatId);
    for (let index = delivery.partsSent; index < parts.length; index++) {
      const wait = await limiter.take(keys.chatRate(platform, hashedChat), ruleFor(payload));
      if (wait > 0) {
        metrics?.waited('chat', wait);
        await job.moveToDelayed(Date.now() + wait, token);
        throw new DelayedError();
      }
      await deliveries.markSending(id);
      try {
        const sent = await adapter.send(payload.chatId, parts[index]!);
        metrics?.count('delivered');
        await deliveries.partSent(id, index, sent.messageId, index === parts.length - 1);
      } catch (err) {
        await handleFailure(job, err);
      }
    }
    return 'sent';
  };

  const handleFailure = async (job: Job<OutboundJobData>, err: unknown): Promise<never> => {
    const { id } = job.data;
    if (!(err instanceof ChannelError)) {
      metrics?.count('internal_error');
      await deliveries.backToQueued(id, 'internal error');
      throw err;
    }
    const { failure } = err;
    switch (failure.kind) {
      case 'rate-limited':
        metrics?.count('rate_limited');
        metrics?.waited('platform', failure.retryAfterMs);
        await deliveries.backToQueued(id, 'rate limited by the platform');
        log.warn({ retryAfterMs: failure.retryAfterMs }, 'platform rate limit: pausing this queue');
        await worker.rateLimit(failure.retryAfterMs);
        throw Worker.RateLimitError();
      case 'permanent': {
        metrics?.count('permanent_failure');
        const payload = await outbox.payload(id);
        if (payload) {
          await chatStatus.markUnreachable(platform, payload.chatId, failure.reason);
          await options.onUnreachable?.(platform, payload.chatId, failure.reason);
        }
        await deliveries.finish(id, 'failed', `chat unreachable: ${failure.reason}`);
        throw new UnrecoverableError(err.message);
      }
      case 'rejected':
        metrics?.count('rejected');
        await deliveries.finish(id, 'failed', err.message);
        throw new UnrecoverableError(err.message);
      case 'transient': {
        metrics?.count('transient');
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (lastAttempt) await deliveries.finish(id, 'failed', `gave up after ${job.attemptsMade + 1} attempts: ${err.message}`);
        else await deliveries.backToQueued(id, err.message);
        throw err;
      }
    }
  };

  const worker: Worker<OutboundJobData> = new Worker(outboundQueueName(platform), sendQueued, {
    ...workerOptions(options, options.concurrency ?? 8),
    limiter: limiterFor(adapter.limits.messagesPerSecond),
    // After a platform's 429 pause the worker should look again promptly, not after the default 5 s.
    drainDelay: 1,
  });
  worker.on('failed', (job, err) => {
    if (job) log.warn({ delivery: job.id, attempt: job.attemptsMade, err: err.message }, 'send failed');
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'outbound worker error'));
  return worker;
}
