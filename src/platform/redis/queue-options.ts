import type { WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/** BullMQ keys live under `<REDIS_PREFIX>:q`, apart from the modules' own keys. */
export const queuePrefix = (prefix: string): string => `${prefix}:q`;

export interface WorkerSettings {
  /** A blocking connection of the worker's own. */
  connection: Redis;
  prefix: string;
  /**
   * How long a job held by a worker that died (SIGKILL, power loss) stays locked before another worker takes it
   * over; the lock is renewed at half this interval while the job runs.
   */
  stallMs?: number;
}

/** The options every worker of the service shares. */
export function workerOptions(settings: WorkerSettings, concurrency: number): WorkerOptions {
  const stall = settings.stallMs === undefined ? {} : { lockDuration: settings.stallMs, stalledInterval: settings.stallMs };
  return { connection: settings.connection, prefix: queuePrefix(settings.prefix), concurrency, ...stall };
}
