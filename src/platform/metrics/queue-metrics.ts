import type { Job, Queue, Worker } from 'bullmq';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';

/** A scrape should not hang while Redis is away (worker connections queue commands until it is back). */
const COUNT_TIMEOUT_MS = 2_000;

export const JOB_OUTCOMES = ['completed', 'failed', 'retried'] as const;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A failed attempt is final when the job may not be tried again; otherwise BullMQ retries it later. */
function isFinalFailure(job: Job | undefined, err: Error): boolean {
  return job === undefined || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * Queue depths are read from Redis when Prometheus scrapes (so they cover every process working the queues); job
 * outcomes are counted from this process's workers as they finish jobs.
 */
export class QueueMetrics {
  private queues: readonly Queue[] = [];
  private readonly depths: Gauge<'queue' | 'state'>;
  private readonly outcomes: Counter<'queue' | 'outcome'>;

  constructor(registry: Registry, logger: Logger) {
    this.depths = new Gauge({
      name: 'loaphuong_queue_jobs',
      help: 'Jobs in each BullMQ queue by state, read at scrape time (waiting includes prioritized jobs)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      collect: async () => {
        try {
          const counts = await Promise.all(this.queues.map((queue) => withTimeout(queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'), COUNT_TIMEOUT_MS)));
          this.depths.reset();
          counts.forEach((count, i) => {
            const queue = this.queues[i]!.name;
            // BullMQ keeps jobs added with a priority (every outbound job) in a list of their own; they wait all the same.
            this.depths.set({ queue, state: 'waiting' }, (count.waiting ?? 0) + (count.prioritized ?? 0));
            for (const state of ['active', 'delayed', 'failed'] as const) this.depths.set({ queue, state }, count[state] ?? 0);
          });
        } catch (err) {
          // No figure is better than a stale one: the series disappear until Redis answers again.
          this.depths.reset();
          logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics: could not read queue depths');
        }
      },
    });
    this.outcomes = new Counter({
      name: 'loaphuong_queue_jobs_processed_total',
      help: 'Jobs this process finished by queue and outcome: completed, failed (no attempts left) or retried (will run again)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    });
  }

  watchQueues(queues: readonly Queue[]): void {
    this.queues = queues;
  }

  watchWorkers(workers: readonly Worker[]): void {
    for (const worker of workers) {
      const [completed, failed, retried] = JOB_OUTCOMES.map((outcome) => this.outcomes.labels(worker.name, outcome));
      for (const child of [completed!, failed!, retried!]) child.inc(0);
      worker.on('completed', () => completed!.inc());
      worker.on('failed', (job, err) => (isFinalFailure(job, err) ? failed! : retried!).inc());
    }
  }
}
