import { Worker } from 'bullmq';
import type { Logger } from '../../platform/logger.js';
import type { InboundMessage } from '../channel.js';
import { workerOptions, type WorkerSettings } from '../../platform/redis/queue-options.js';
import { INBOUND_QUEUE } from '../queues.js';
import type { Inbox, InboundJobData } from './inbox.js';

/** What the rest of the service does with a message; it must be safe to run again for the same message. */
export type MessageHandler = (message: InboundMessage, ref: string) => Promise<void>;

export interface InboundWorkerOptions extends WorkerSettings {
  inbox: Inbox;
  handle: MessageHandler;
  logger: Logger;
  concurrency?: number;
}

export function startInboundWorker(options: InboundWorkerOptions): Worker<InboundJobData> {
  const { inbox, handle, logger } = options;
  const worker = new Worker<InboundJobData>(
    INBOUND_QUEUE,
    async (job) => {
      const message = await inbox.take(job.data.ref);
      if (!message) return 'expired';
      await handle(message, job.data.ref);
      await inbox.done(job.data.ref);
      return 'handled';
    },
    workerOptions(options, options.concurrency ?? 16),
  );
  worker.on('failed', (job, err) => logger.warn({ ref: job?.data.ref, attempt: job?.attemptsMade, err: err.message }, 'handling a message failed'));
  worker.on('error', (err) => logger.error({ err: err.message }, 'inbound worker error'));
  return worker;
}
