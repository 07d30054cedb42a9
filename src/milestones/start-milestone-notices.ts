import type { Worker } from 'bullmq';
import { inQuietHours, type QuietHours } from '../broadcasts/when.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import type { Translator } from '../platform/i18n.js';
import type { Logger } from '../platform/logger.js';
import type { Datastore } from '../platform/redis/datastore.js';
import { wallClock } from '../platform/time-zone.js';
import type { StaffChat } from '../questions/question-queue.js';
import type { Milestone } from './campaign-milestones.js';
import { MilestoneQueue, startMilestoneWorker } from './milestone-notices.js';

export interface MilestoneNoticeParts {
  datastore: Datastore;
  milestones: readonly Milestone[];
  outbox: Outbox;
  translator: Translator;
  staffChat: StaffChat | undefined;
  timeZone: string;
  quietHours: QuietHours;
  stallMs: number;
  logger: Logger;
  now?: () => Date;
  /** False in a process that only takes requests: the schedule is kept, the checks run in a worker process. */
  runWorker: boolean;
}

/**
 * The daily milestone check and its worker. A start outside quiet hours also checks at once (once a day at most),
 * so a service started after the morning check still tells staff; a start at night leaves it to the morning.
 */
export async function startMilestoneNotices(parts: MilestoneNoticeParts): Promise<{ queue: MilestoneQueue; worker: Worker | undefined }> {
  const { datastore, timeZone } = parts;
  const queue = new MilestoneQueue(datastore.connect('worker'), datastore.prefix);
  const worker = parts.runWorker ? startMilestoneWorker({ ...parts, connection: datastore.connect('worker'), prefix: datastore.prefix }) : undefined;
  await queue.scheduleDaily(timeZone);
  const local = wallClock((parts.now ?? (() => new Date()))(), timeZone);
  if (!inQuietHours(local.time, parts.quietHours)) await queue.checkOn(local.date);
  return { queue, worker };
}
