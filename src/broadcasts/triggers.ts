import { Queue, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { queuePrefix } from '../platform/redis/queue-options.js';
import type { Schedule } from './schemas.js';

export const BROADCAST_QUEUE = 'broadcasts';

/** Job data carries only the schedule's id and, for one-offs, the instant: everything else is read when it fires. */
export interface OccurrenceJobData {
  scheduleId: string;
  /** Milliseconds since the epoch; scheduler-made jobs carry it in `opts.prevMillis` instead. */
  at?: number;
}

const OCCURRENCE_JOB: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** The occurrence a fired job stands for. */
export function occurrenceTime(job: Job<OccurrenceJobData>): Date | undefined {
  const at = job.data.at ?? job.opts.prevMillis;
  return at === undefined ? undefined : new Date(at);
}

const onceJobId = (scheduleId: string) => `once.${scheduleId}`;

/**
 * When approved schedules fire: a one-off is a delayed job with a fixed id, a recurring one a BullMQ job scheduler
 * named after the schedule. Both live in Redis, so a restart loses none; a paused schedule keeps its trigger and
 * its occurrences are recorded as skipped, so the history shows what did not go out and why.
 */
export class BroadcastTriggers {
  readonly queue: Queue<OccurrenceJobData>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<OccurrenceJobData>(BROADCAST_QUEUE, { connection, prefix: queuePrefix(prefix) });
  }

  async arm(schedule: Schedule, now: Date): Promise<void> {
    const { timing } = schedule;
    if (timing.kind === 'once') {
      const at = Date.parse(timing.at);
      await this.queue.add('occurrence', { scheduleId: schedule.id, at }, { ...OCCURRENCE_JOB, jobId: onceJobId(schedule.id), delay: Math.max(0, at - now.getTime()) });
      return;
    }
    await this.queue.upsertJobScheduler(
      schedule.id,
      {
        pattern: timing.pattern,
        tz: timing.timeZone,
        ...(timing.from ? { startDate: new Date(timing.from) } : {}),
        ...(timing.until ? { endDate: new Date(timing.until) } : {}),
      },
      { name: 'occurrence', data: { scheduleId: schedule.id }, opts: OCCURRENCE_JOB },
    );
  }

  async disarm(schedule: Schedule): Promise<void> {
    if (schedule.timing.kind === 'cron') {
      await this.queue.removeJobScheduler(schedule.id);
      return;
    }
    const job = await this.queue.getJob(onceJobId(schedule.id));
    // An occurrence already running finishes; its fan-out reads the schedule's status for each group batch.
    if (job && (await job.isDelayed())) await job.remove();
  }

  /** Fires an occurrence now, as a trigger would; the fan-out makes a repeated one harmless. */
  async fire(scheduleId: string, at: Date, jobId: string): Promise<void> {
    await this.queue.add('occurrence', { scheduleId, at: at.getTime() }, { ...OCCURRENCE_JOB, jobId });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
