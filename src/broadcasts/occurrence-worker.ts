import { Worker } from 'bullmq';
import type { Logger } from '../platform/logger.js';
import { workerOptions, type WorkerSettings } from '../platform/redis/queue-options.js';
import type { Broadcasts } from './broadcasts.js';
import { BROADCAST_QUEUE, occurrenceTime, type OccurrenceJobData } from './triggers.js';

export interface BroadcastWorkerOptions extends WorkerSettings {
  broadcasts: Broadcasts;
  logger: Logger;
}

/** Fans out each occurrence when its trigger fires; a job retried or taken over after a crash redoes nothing twice. */
export function startBroadcastWorker(options: BroadcastWorkerOptions): Worker<OccurrenceJobData> {
  const { broadcasts, logger } = options;
  const worker = new Worker<OccurrenceJobData>(
    BROADCAST_QUEUE,
    async (job) => {
      const at = occurrenceTime(job);
      if (!at) {
        logger.warn({ job: job.id }, 'broadcast job without an occurrence time; ignored');
        return 'no-time';
      }
      return (await broadcasts.fanOut(job.data.scheduleId, at)).status;
    },
    workerOptions(options, 2),
  );
  worker.on('failed', (job, err) => logger.warn({ job: job?.id, attempt: job?.attemptsMade, err: err.message }, 'broadcast occurrence failed'));
  worker.on('error', (err) => logger.error({ err: err.message }, 'broadcast worker error'));
  return worker;
}
