import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Platform } from '../channels/channel.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import type { Locale } from '../platform/config.js';
import type { Translator } from '../platform/i18n.js';
import type { Logger } from '../platform/logger.js';
import { queuePrefix, workerOptions, type WorkerSettings } from '../platform/redis/queue-options.js';
import type { QuestionStore } from './question-store.js';

export const QUESTIONS_QUEUE = 'questions';

/** Only the question's id: job data is stored in clear, and what was asked stays sealed in the store. */
export interface QuestionJobData {
  questionId: string;
}

/** The ward staff's own chat, if there is one, where a short notice of each queued question goes. */
export interface StaffChat {
  platform: Platform;
  chatId: string;
  locale: Locale;
}

/** The `questions` queue: one job per question queued for staff. */
export class QuestionQueue {
  readonly queue: Queue<QuestionJobData>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<QuestionJobData>(QUESTIONS_QUEUE, { connection, prefix: queuePrefix(prefix) });
  }

  async add(questionId: string): Promise<void> {
    await this.queue.add(
      'queued',
      { questionId },
      { jobId: `question.${questionId}`, attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 30 * 24 * 3600 } },
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface QuestionWorkerOptions extends WorkerSettings {
  store: QuestionStore;
  outbox: Outbox;
  translator: Translator;
  /** Until the ward names a staff chat, staff learn of questions from the console and the log. */
  staffChat?: StaffChat;
  logger: Logger;
}

/**
 * Tells staff that a question waits: in their chat if one is configured (the question's id, never what was asked,
 * since a group chat is less guarded than the console), and always in the log.
 */
export function startQuestionWorker(options: QuestionWorkerOptions): Worker<QuestionJobData> {
  const { store, outbox, translator, staffChat, logger } = options;
  const worker = new Worker<QuestionJobData>(
    QUESTIONS_QUEUE,
    async (job) => {
      const { questionId } = job.data;
      const record = await store.record(questionId);
      // Answered or closed before the notice went out: nobody needs telling any more.
      if (record?.status !== 'open') return 'not waiting';
      logger.info({ question: questionId, reason: record.reason }, 'question waiting for ward staff');
      if (!staffChat) return 'logged';
      const t = translator.t(staffChat.locale);
      await outbox.send({
        id: `question-notice.${questionId}`,
        platform: staffChat.platform,
        chatId: staffChat.chatId,
        chatKind: 'group',
        lane: 'reply',
        message: { kind: 'text', text: t(`questions:notice.${record.reason}`, { id: questionId }) },
      });
      return 'noticed';
    },
    workerOptions(options, 4),
  );
  worker.on('failed', (job, err) => logger.warn({ job: job?.id, err: err.message }, 'question job failed'));
  worker.on('error', (err) => logger.error({ err: err.message }, 'question worker error'));
  return worker;
}
