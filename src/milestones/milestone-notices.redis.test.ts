import { QueueEvents } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeModuleParts, openModuleParts, testConfig, type ModuleParts } from '../../test/support/module-parts.js';
import { silentLogger } from '../../test/support/redis.js';
import { createTranslator } from '../platform/i18n.js';
import { queuePrefix } from '../platform/redis/queue-options.js';
import { instantOf } from '../platform/time-zone.js';
import { milestoneKey, type Milestone } from './campaign-milestones.js';
import { MILESTONES_QUEUE, MilestoneQueue, startMilestoneWorker } from './milestone-notices.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const KEY_DAY: Milestone = {
  campaign: '2026-thang-hanh-dong',
  campaignName: { vi: 'Tháng hành động 2026', en: 'Action Month 2026' },
  date: '2026-06-26',
  kind: 'key-date',
  name: { vi: 'Ngày toàn dân phòng, chống ma túy', en: 'National Day for Drug Prevention and Control' },
};
const DEADLINE: Milestone = { ...KEY_DAY, campaign: '2026-kkt', date: '2026-07-01', kind: 'report-deadline', name: { vi: 'Báo cáo kết quả', en: 'Results report' } };
const STAFF_CHAT = { platform: 'sandbox' as const, chatId: 'staff-room', locale: 'vi' as const };

let parts: ModuleParts;
let queue: MilestoneQueue;
let events: QueueEvents;
let today = '2026-06-19';
let closeWorker: () => Promise<void>;

beforeEach(async () => {
  parts = await openModuleParts(testConfig());
  const { store, outbox } = parts;
  queue = new MilestoneQueue(store.connect('worker'), store.prefix);
  events = new QueueEvents(MILESTONES_QUEUE, { connection: store.connect('worker'), prefix: queuePrefix(store.prefix) });
  await events.waitUntilReady();
  const worker = startMilestoneWorker({
    milestones: [KEY_DAY, DEADLINE],
    outbox,
    translator: await createTranslator('vi'),
    staffChat: STAFF_CHAT,
    timeZone: ZONE,
    now: () => instantOf(today, '08:00', ZONE),
    connection: store.connect('worker'),
    prefix: store.prefix,
    logger: silentLogger(),
  });
  closeWorker = () => worker.close();
});

afterEach(async () => {
  await closeWorker();
  await events.close();
  await queue.close();
  await closeModuleParts(parts);
});

/** Runs a check as if the service had started on `date`, and waits for it. */
async function checkOn(date: string): Promise<unknown> {
  today = date;
  await queue.checkOn(date);
  const job = (await queue.queue.getJob(`check.${date}`))!;
  return job.waitUntilFinished(events, 15_000);
}

async function sentToStaff(): Promise<Array<{ id: string; text: string }>> {
  const jobs = await parts.outbox.queue('sandbox').getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed']);
  const sent = await Promise.all(jobs.map(async (job) => ({ id: job.id!, payload: await parts.outbox.payload(job.id!) })));
  return sent
    .map(({ id, payload }) => {
      expect(payload?.chatId).toBe(STAFF_CHAT.chatId);
      return { id, text: payload?.message.kind === 'text' ? payload.message.text : '' };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

describe('milestone notices to the staff chat', () => {
  it('tells staff a week ahead, once however many checks run that day or the next', async () => {
    expect(await checkOn('2026-06-19')).toBe('1 noticed');
    await queue.queue.add('check', {}, { jobId: 'second-check' });
    await (await queue.queue.getJob('second-check'))!.waitUntilFinished(events, 15_000);
    expect(await checkOn('2026-06-20')).toBe('1 noticed');

    const sent = await sentToStaff();
    expect(sent).toEqual([{ id: `milestone-notice.${milestoneKey(KEY_DAY)}.7`, text: 'Còn 7 ngày, đến 26/06/2026 — Ngày trọng điểm: Ngày toàn dân phòng, chống ma túy (Tháng hành động 2026).' }]);
  });

  it('sends the next notice point even when the day it falls on was missed', async () => {
    await checkOn('2026-06-19');
    // Down on 23/6 (three days ahead): the check on 24/6 still sends the three-day notice, saying two days are left.
    await checkOn('2026-06-24');
    await checkOn('2026-06-25');
    await checkOn('2026-06-26');

    const texts = (await sentToStaff()).filter((s) => s.id.includes(milestoneKey(KEY_DAY))).map((s) => s.text);
    expect(texts).toEqual([
      'Hôm nay (26/06/2026) — Ngày trọng điểm: Ngày toàn dân phòng, chống ma túy (Tháng hành động 2026).',
      'Ngày mai (26/06/2026) — Ngày trọng điểm: Ngày toàn dân phòng, chống ma túy (Tháng hành động 2026).',
      'Còn 2 ngày, đến 26/06/2026 — Ngày trọng điểm: Ngày toàn dân phòng, chống ma túy (Tháng hành động 2026).',
      'Còn 7 ngày, đến 26/06/2026 — Ngày trọng điểm: Ngày toàn dân phòng, chống ma túy (Tháng hành động 2026).',
    ]);
    // The report deadline of 1/7 came within the week on 24/6, and its week notice is not repeated on 25/6 or 26/6.
    const deadline = (await sentToStaff()).filter((s) => s.id.includes(milestoneKey(DEADLINE))).map((s) => s.text);
    expect(deadline).toEqual(['Còn 7 ngày, đến 01/07/2026 — Hạn báo cáo: Báo cáo kết quả (Tháng hành động 2026).']);
  });

  it('schedules one daily check at 08:00 on the ward clock, however often the service starts', async () => {
    await queue.scheduleDaily(ZONE);
    await queue.scheduleDaily(ZONE);
    const schedulers = await queue.queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([['daily', '0 8 * * *', ZONE]]);
  });
});
