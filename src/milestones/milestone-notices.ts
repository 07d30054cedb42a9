import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Outbox } from '../channels/outbound/outbox.js';
import type { Locale } from '../platform/config.js';
import type { Translator } from '../platform/i18n.js';
import type { Logger } from '../platform/logger.js';
import { queuePrefix, workerOptions, type WorkerSettings } from '../platform/redis/queue-options.js';
import type { StaffChat } from '../questions/question-queue.js';
import { wallClock } from '../platform/time-zone.js';
import { milestoneKey, noticeLead, NOTICE_LEAD_DAYS, upcomingMilestones, type Milestone, type UpcomingMilestone } from './campaign-milestones.js';

export const MILESTONES_QUEUE = 'milestones';

/** Morning, on the ward's clock: after quiet hours, before the working day fills up. */
export const NOTICE_TIME = '08:00';

/** One `check` job a day from a job scheduler, and one when the service starts, so a late start still tells staff. */
export class MilestoneQueue {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(MILESTONES_QUEUE, { connection, prefix: queuePrefix(prefix) });
  }

  async scheduleDaily(timeZone: string): Promise<void> {
    const [hour, minute] = NOTICE_TIME.split(':').map(Number);
    await this.queue.upsertJobScheduler('daily', { pattern: `${minute} ${hour} * * *`, tz: timeZone }, { name: 'check', opts: { removeOnComplete: 30, removeOnFail: 30 } });
  }

  /** At most one start-up check a day: the job id is the day's date. */
  async checkOn(date: string): Promise<void> {
    await this.queue.add('check', {}, { jobId: `check.${date}`, removeOnComplete: { age: 2 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export interface MilestoneWorkerOptions extends WorkerSettings {
  milestones: readonly Milestone[];
  outbox: Outbox;
  translator: Translator;
  staffChat: StaffChat | undefined;
  timeZone: string;
  now?: () => Date;
  logger: Logger;
}

function noticeText(translator: Translator, locale: Locale, m: UpcomingMilestone): string {
  const t = translator.t(locale);
  const [year, month, day] = m.date.split('-');
  const when = m.daysLeft === 0 ? 'today' : m.daysLeft === 1 ? 'tomorrow' : 'soon';
  return t(`milestones:notice.${when}`, {
    kind: t(`milestones:kind.${m.kind}`),
    name: m.name[locale],
    campaign: m.campaignName[locale],
    date: `${day}/${month}/${year}`,
    days: m.daysLeft,
  });
}

/**
 * Tells the staff chat what is coming: each milestone once per lead point, whatever the number of checks, workers
 * or restarts, because the message id names the milestone and the lead point and the outbox sends an id only once.
 */
export function startMilestoneWorker(options: MilestoneWorkerOptions): Worker {
  const { milestones, outbox, translator, staffChat, timeZone, logger } = options;
  const now = options.now ?? (() => new Date());
  const worker = new Worker(
    MILESTONES_QUEUE,
    async () => {
      const today = wallClock(now(), timeZone).date;
      const due = upcomingMilestones(milestones, today, Math.max(...NOTICE_LEAD_DAYS));
      if (!staffChat) return `${due.length} due, no staff chat`;
      await outbox.sendMany(
        due.map((m) => ({
          id: `milestone-notice.${milestoneKey(m)}.${noticeLead(m.daysLeft)}`,
          platform: staffChat.platform,
          chatId: staffChat.chatId,
          chatKind: 'group' as const,
          lane: 'reply' as const,
          message: { kind: 'text' as const, text: noticeText(translator, staffChat.locale, m) },
        })),
      );
      return `${due.length} noticed`;
    },
    workerOptions(options, 1),
  );
  worker.on('failed', (job, err) => logger.warn({ job: job?.id, err: err.message }, 'milestone check failed'));
  worker.on('error', (err) => logger.error({ err: err.message }, 'milestone worker error'));
  return worker;
}
