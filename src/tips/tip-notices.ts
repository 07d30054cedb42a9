import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Platform } from '../channels/channel.js';
import type { Locale } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { queuePrefix, workerOptions, type WorkerSettings } from '../platform/redis/queue-options.js';
import type { Tips } from './tips.js';

export const TIPS_QUEUE = 'tips';

/** A tip event carries only the tip's id, never its content; `purge` is the retention sweep. */
export type TipJobData = { event: 'created' | 'tipster-message'; tipId: string } | { event: 'purge' };

/** The police's own chat, if configured, where a short notice of each new tip goes. */
export interface PoliceChat {
  platform: Platform;
  chatId: string;
  locale: Locale;
}

const RETENTION_SWEEP_EVERY_MS = 6 * 3600 * 1000;

/** The `tips` queue: one job per accepted tip or tipster message for triage notices, and the retention sweep. */
export class TipQueue {
  readonly queue: Queue<TipJobData>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<TipJobData>(TIPS_QUEUE, { connection, prefix: queuePrefix(prefix) });
  }

  async add(data: TipJobData, jobId: string): Promise<void> {
    await this.queue.add(data.event, data, { jobId, attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } });
  }

  async remove(jobId: string): Promise<void> {
    await (await this.queue.getJob(jobId))?.remove().catch(() => undefined);
  }

  /** Purges expired tips every few hours, whichever worker is up. */
  async scheduleRetention(): Promise<void> {
    await this.queue.upsertJobScheduler('retention', { every: RETENTION_SWEEP_EVERY_MS }, { name: 'purge', data: { event: 'purge' } });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface TipWorkerOptions extends WorkerSettings {
  tips: Tips;
  policeChat: PoliceChat | undefined;
  retentionDays: number;
  logger: Logger;
}

/** Tells the police's chat that a tip arrived or was added to (its id and category, nothing it says) and purges. */
export function startTipWorker(options: TipWorkerOptions): Worker<TipJobData> {
  const { tips, policeChat, logger } = options;
  const { store, outbox, translator } = tips.deps;
  const worker = new Worker<TipJobData>(
    TIPS_QUEUE,
    async (job) => {
      const data = job.data;
      if (data.event === 'purge') return `purged ${await tips.purgeFinished(options.retentionDays)}`;
      if (!policeChat) return 'no police chat';
      const record = await store.record(data.tipId);
      if (!record) return 'purged';
      const t = translator.t(policeChat.locale);
      const text = t(`tips:notice.${data.event}`, { id: record.id, category: t(`tips:category.${record.category}`) });
      const id = `tip-notice.${job.id}`;
      await store.link(record.id, 'delivery', id);
      await outbox.send({ id, platform: policeChat.platform, chatId: policeChat.chatId, chatKind: 'group', lane: 'reply', message: { kind: 'text', text } });
      return 'noticed';
    },
    workerOptions(options, 4),
  );
  worker.on('failed', (job, err) => logger.warn({ job: job?.id, err: err.message }, 'tip job failed'));
  worker.on('error', (err) => logger.error({ err: err.message }, 'tip worker error'));
  return worker;
}
