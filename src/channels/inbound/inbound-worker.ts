import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger.js';
import type { InboundMessage } from '../channel.js';
import { INBOUND_QUEUE, queuePrefix } from '../queues.js';
import type { Inbox, InboundJobData } from './inbox.js';

/** What the rest of the service does with a message; it must be safe to run again for the same message. */
export type MessageHandler = (message: InboundMessage, ref: string) => Promise<void>;

export function startInboundWorker(options: {
  inbox: Inbox;
  handle: MessageHandler;
  connection: Redis;
  prefix: string;
  logger: Logger;
  concurrency?: number;
}): Worker<InboundJobData> {
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
    { connection: options.connection, prefix: queuePrefix(options.prefix), concurrency: options.concurrency ?? 16 },
  );
  worker.on('failed', (job, err) => logger.warn({ ref: job?.data.ref, attempt: job?.attemptsMade, err: err.message }, 'handling a message failed'));
  worker.on('error', (err) => logger.error({ err: err.message }, 'inbound worker error'));
  return worker;
}
