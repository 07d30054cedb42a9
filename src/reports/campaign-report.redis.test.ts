import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approver, shippedLibrary, staff } from '../../test/support/broadcasts.js';
import { closeModuleParts, openModuleParts, testConfig } from '../../test/support/module-parts.js';
import { silentLogger } from '../../test/support/redis.js';
import type { Actor } from '../accounts/actor.js';
import { AuditLog } from '../audit/audit-log.js';
import { assembleBroadcasts } from '../broadcasts/assemble.js';
import type { Broadcasts } from '../broadcasts/broadcasts.js';
import { deliveryId, occurrenceId } from '../broadcasts/fan-out.js';
import type { NewSchedule } from '../broadcasts/schemas.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import { GroupRegistry } from '../groups/group-registry.js';
import type { Group } from '../groups/schemas.js';
import type { Config } from '../platform/config.js';
import { createTranslator } from '../platform/i18n.js';
import type { Datastore } from '../platform/redis/datastore.js';
import { instantOf } from '../platform/time-zone.js';
import { assembleQuestions } from '../questions/assemble.js';
import type { Questions } from '../questions/questions.js';
import { assembleTips } from '../tips/assemble.js';
import type { TipOrigin } from '../tips/schemas.js';
import type { Tips } from '../tips/tips.js';
import { campaignReport } from './campaign-report.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import type { CampaignReport } from './schemas.js';
import { reportSourcesOn, type ReportSources } from './sources.js';

/**
 * A month of campaign work seeded through the modules' own APIs at known times on the ward's clock (UTC+7), and
 * every figure of the report checked against a count made here, from the seed, without the report's code.
 */

const TZ = 'Asia/Ho_Chi_Minh';
const at = (date: string, time: string) => instantOf(date, time, TZ);
const plus = (from: Date, minutes: number) => new Date(from.getTime() + minutes * 60_000);
/** June 2026 on the ward's clock, in UTC: written out, not computed by the code under test. */
const JUNE = { first: Date.parse('2026-05-31T17:00:00.000Z'), last: Date.parse('2026-06-30T16:59:59.999Z') };
const inJune = (when: Date) => when.getTime() >= JUNE.first && when.getTime() <= JUNE.last;
const police: Actor = { name: 'cs.hung', role: 'police' };
const staffMember: Actor = { name: 'lan.staff', role: 'staff' };

type Outcome = 'sent' | 'failed' | 'skipped' | 'pending';
interface SeededDelivery {
  groupId: string;
  topic: string;
  outcome: Outcome;
}
interface SeededTip {
  category: string;
  createdAt: Date;
  firstActionAt?: Date;
  status: string;
  what: string;
  where: string;
  code: string;
  chatId?: string;
}

let config: Config;
let store: Datastore;
let outbox: Outbox;
let broadcasts: Broadcasts;
let tips: Tips;
let questions: Questions;
let sources: ReportSources;
const clock = { now: at('2026-05-20', '08:00') };
const groupsByName = new Map<string, Group>();
const deliveries: SeededDelivery[] = [];
const runs: { topic: string; status: 'done' | 'skipped' | 'upcoming' }[] = [];
const seededTips: SeededTip[] = [];
const replies: { at: Date; toChat: boolean }[] = [];
const automaticAnswers: Date[] = [];
const staffQuestions: { createdAt: Date; reason: 'unanswered' | 'asked'; answeredAt?: Date; open: boolean }[] = [];
const groupChatIds: string[] = [];
let report: CampaignReport;

const group = (name: string) => groupsByName.get(name)!;

async function schedule(input: NewSchedule, approve = true): Promise<string> {
  const created = (await broadcasts.create(input, staff))!;
  if (approve) await broadcasts.approve(created.id, approver);
  return created.id;
}

/** Runs an occurrence at its time and settles each group's delivery as the channel layer would. */
async function fire(scheduleId: string, when: Date, topic: string, outcomes: Record<string, Outcome>, planSkips: string[] = []): Promise<void> {
  clock.now = when;
  expect((await broadcasts.fanOut(scheduleId, when)).status).toBe('done');
  runs.push({ topic, status: 'done' });
  for (const [name, outcome] of Object.entries(outcomes)) {
    const id = deliveryId(occurrenceId(scheduleId, when, TZ), group(name).id);
    if (outcome === 'sent') await outbox.deliveries.partSent(id, 0, `m-${randomBytes(3).toString('hex')}`, true);
    if (outcome === 'failed') await outbox.deliveries.finish(id, 'failed', 'platform error');
    if (outcome === 'skipped') await outbox.deliveries.finish(id, 'skipped', 'bot blocked');
    if (outcome === 'pending') await outbox.deliveries.markSending(id);
    deliveries.push({ groupId: group(name).id, topic, outcome });
  }
  for (const name of planSkips) deliveries.push({ groupId: group(name).id, topic, outcome: 'skipped' });
}

async function submitTip(category: string, when: Date, origin: 'chat' | 'web'): Promise<SeededTip> {
  clock.now = when;
  const marker = randomBytes(6).toString('hex');
  const what = `Nội dung tố giác bí mật ${marker}: có người giao hàng lúc nửa đêm`;
  const where = `Ngõ bí mật ${marker}`;
  const chatId = `tipster-${randomBytes(5).toString('hex')}`;
  const from: TipOrigin = origin === 'chat' ? { kind: 'chat', platform: 'telegram', chatId, locale: 'vi' } : { kind: 'web', address: `198.51.100.${seededTips.length}`, locale: 'vi' };
  const { id, code } = await tips.submit({ category, what, where, when: 'tối qua' }, from);
  const seeded: SeededTip = { category, createdAt: when, status: 'new', what, where, code, ...(origin === 'chat' ? { chatId } : {}) };
  seededTips.push(seeded);
  (seeded as SeededTip & { id: string }).id = id;
  return seeded;
}
const tipId = (tip: SeededTip) => (tip as SeededTip & { id: string }).id;

async function act(tip: SeededTip, when: Date, action: (id: string) => Promise<unknown>): Promise<void> {
  clock.now = when;
  await action(tipId(tip));
  tip.firstActionAt ??= when;
}

async function reply(tip: SeededTip, when: Date): Promise<void> {
  await act(tip, when, (id) => tips.reply(id, 'Cảm ơn bạn, Công an phường đã tiếp nhận.', police));
  replies.push({ at: when, toChat: tip.chatId !== undefined });
}

async function seedGroups(): Promise<void> {
  const audit = new AuditLog(store.redis, store.prefix, () => clock.now);
  const registry = new GroupRegistry(store.redis, store.prefix, audit, () => clock.now);
  for (let n = 1; n <= 7; n++) {
    const chatId = `group-chat-${randomBytes(4).toString('hex')}`;
    groupChatIds.push(chatId);
    const registered = await registry.register({ platform: 'sandbox', chatId, name: `Tổ dân phố ${n}`, tags: ['to-dan-pho'] }, 'test');
    // Group 4 waits for approval throughout; group 7 is approved only after the last broadcast went out.
    groupsByName.set(`${n}`, n === 4 || n === 7 ? registered : await registry.approve(registered.id, 'test'));
  }
}

async function seedBroadcasts(): Promise<void> {
  const registry = broadcasts.deps.groups;
  const message = (id: string) => ({ kind: 'message', campaign: '2026-thang-hanh-dong', message: id }) as const;
  clock.now = at('2026-05-25', '09:00');
  const lastNightOfMay = await schedule({ title: 'Trước kỳ', timing: { kind: 'once', at: '2026-05-31 23:30' }, target: { kind: 'all' }, content: message('ma-tuy-tong-hop-la-gi-01'), urgent: true });
  const firstMinutesOfJune = await schedule({ title: 'Đầu kỳ', timing: { kind: 'once', at: '2026-06-01 00:15' }, target: { kind: 'all' }, content: message('phap-luat-luat-pcmt-01'), urgent: true });
  const reporting = await schedule({ title: 'Tố giác', timing: { kind: 'once', at: '2026-06-02 07:00' }, target: { kind: 'all' }, content: message('to-giac-vi-sao-01') });
  const announcement = await schedule({
    title: 'Thông báo',
    timing: { kind: 'once', at: '2026-06-10 08:00' },
    target: { kind: 'groups', ids: [group('1').id, group('4').id] },
    content: { kind: 'text', text: { vi: 'Họp tổ dân phố tối thứ Bảy.' } },
  });
  const paused = await schedule({ title: 'Tạm dừng', timing: { kind: 'once', at: '2026-06-15 07:00' }, target: { kind: 'all' }, content: message('mo-hinh-gia-dinh-khong-ma-tuy-01') });
  const rotation = await schedule({
    title: 'Núp bóng',
    // No end: BullMQ refuses to arm a schedule whose end has passed on the real clock, and the period bounds it anyway.
    timing: { kind: 'cron', pattern: '0 15 * * *', from: '2026-06-24 00:00' },
    target: { kind: 'all' },
    content: { kind: 'rotation', campaign: '2026-thang-hanh-dong', topic: 'disguised-drugs' },
  });
  // Neither is in the report: a draft never fires, and July is after the period.
  await schedule({ title: 'Nháp', timing: { kind: 'once', at: '2026-06-20 08:00' }, target: { kind: 'all' }, content: message('to-giac-cach-gui-02') }, false);
  await schedule({ title: 'Tháng Bảy', timing: { kind: 'once', at: '2026-07-01 07:00' }, target: { kind: 'all' }, content: message('thang-hanh-dong-cao-diem-tran-ap') });

  clock.now = at('2026-05-31', '23:30');
  expect((await broadcasts.fanOut(lastNightOfMay, clock.now)).status).toBe('done');
  await fire(firstMinutesOfJune, at('2026-06-01', '00:15'), 'law', { 1: 'sent', 2: 'sent', 3: 'sent', 5: 'sent', 6: 'sent' });
  await fire(reporting, at('2026-06-02', '07:00'), 'reporting', { 1: 'sent', 2: 'sent', 3: 'failed', 5: 'sent', 6: 'pending' });
  await fire(announcement, at('2026-06-10', '08:00'), 'announcement', { 1: 'sent' }, ['4']);

  clock.now = at('2026-06-12', '09:00');
  await registry.remove(group('5').id, 'test');
  await registry.pause(group('6').id, 'test');
  clock.now = at('2026-06-14', '09:00');
  await broadcasts.pause(paused, staff);
  clock.now = at('2026-06-15', '07:00');
  expect(await broadcasts.fanOut(paused, clock.now)).toMatchObject({ status: 'skipped', reason: 'paused' });
  runs.push({ topic: 'drug-free-models', status: 'skipped' });

  clock.now = at('2026-06-20', '09:00');
  await registry.markUnreachable('sandbox', groupChatIds[2]!, 'kicked');
  const secondGroup: Outcome[] = ['sent', 'sent', 'skipped', 'pending'];
  for (const [i, day] of ['2026-06-24', '2026-06-25', '2026-06-26', '2026-06-27'].entries()) {
    await fire(rotation, at(day, '15:00'), 'disguised-drugs', { 1: 'sent', 2: secondGroup[i]! }, ['3']);
  }
  clock.now = at('2026-06-27', '16:00');
  groupsByName.set('7', await registry.approve(group('7').id, 'test'));
  // Seen from the 28th at 10:00: the rotation still fires on the 28th, 29th and 30th.
  for (let n = 0; n < 3; n++) runs.push({ topic: 'disguised-drugs', status: 'upcoming' });
}

async function seedTips(): Promise<void> {
  const beforeJune = await submitTip('trade', new Date('2026-05-31T16:59:59.000Z'), 'chat');
  await reply(beforeJune, new Date('2026-05-31T16:59:59.500Z'));
  const firstOfJune = await submitTip('trade', new Date(JUNE.first), 'web');
  await act(firstOfJune, plus(new Date(JUNE.first), 30), (id) => tips.claim(id, police));
  await reply(beforeJune, at('2026-06-02', '08:00'));

  const purged = await submitTip('trade', at('2026-06-02', '09:00'), 'chat');
  await act(purged, at('2026-06-02', '10:00'), (id) => tips.change(id, { status: 'closed' }, police));
  purged.status = 'purged';

  const online = await submitTip('online', at('2026-06-03', '09:00'), 'chat');
  await act(online, at('2026-06-03', '11:00'), (id) => tips.change(id, { status: 'triaged' }, police));
  online.status = 'triaged';
  await reply(online, at('2026-06-03', '12:00'));

  const disguised = await submitTip('disguised', at('2026-06-05', '10:00'), 'web');
  await act(disguised, at('2026-06-05', '10:10'), (id) => tips.note(id, 'Ghi chú nội bộ', police));
  await act(disguised, at('2026-06-06', '10:00'), (id) => tips.change(id, { status: 'closed' }, police));
  disguised.status = 'closed';

  await submitTip('use-place', at('2026-06-10', '10:00'), 'chat');

  const other = await submitTip('other', at('2026-06-12', '10:00'), 'web');
  await reply(other, at('2026-06-12', '15:00'));
  await act(other, at('2026-06-12', '16:00'), (id) => tips.change(id, { status: 'spam' }, police));
  other.status = 'spam';

  // Fifteen days' retention seen from the 20th purges only what was finished by the 5th: the tip closed on the 2nd.
  clock.now = at('2026-06-20', '12:00');
  expect(await tips.purgeFinished(15)).toBe(1);
}

async function seedQuestions(): Promise<void> {
  for (const when of [new Date('2026-05-31T16:55:00Z'), new Date('2026-05-31T17:05:00Z'), at('2026-06-01', '12:00'), at('2026-06-15', '12:00')]) {
    clock.now = when;
    await questions.answeredAutomatically();
    automaticAnswers.push(when);
  }
  const ask = async (when: Date, reason: 'unanswered' | 'asked') => {
    clock.now = when;
    const record = await questions.ask(`Câu hỏi số ${randomBytes(3).toString('hex')} về ma túy`, { platform: 'sandbox', chatId: `resident-${randomBytes(4).toString('hex')}`, locale: 'vi' }, reason);
    const seeded: (typeof staffQuestions)[number] = { createdAt: when, reason, open: true };
    staffQuestions.push(seeded);
    return { id: record.id, seeded };
  };
  const answer = async (q: Awaited<ReturnType<typeof ask>>, when: Date) => {
    clock.now = when;
    await questions.answer(q.id, 'Cán bộ phường trả lời.', staffMember);
    q.seeded.answeredAt = when;
    q.seeded.open = false;
  };
  await answer(await ask(at('2026-05-31', '22:00'), 'unanswered'), at('2026-06-01', '09:00'));
  await answer(await ask(at('2026-06-02', '10:00'), 'unanswered'), at('2026-06-02', '11:00'));
  await ask(at('2026-06-03', '10:00'), 'asked');
  const closed = await ask(at('2026-06-04', '10:00'), 'asked');
  clock.now = at('2026-06-04', '12:00');
  await questions.close(closed.id, staffMember);
  closed.seeded.open = false;
}

beforeAll(async () => {
  config = testConfig({ WARD_NAME: 'phường Lê Chân', WARD_NAME_EN: 'Le Chan Ward' });
  const parts = await openModuleParts(config);
  ({ store, outbox } = parts);
  const now = () => clock.now;
  const audit = new AuditLog(store.redis, store.prefix, now);
  const translator = await createTranslator('vi');
  const library = await shippedLibrary();
  const groups = new GroupRegistry(store.redis, store.prefix, audit, now);
  broadcasts = assembleBroadcasts({ datastore: store, outbox, groups, audit, library, config, translator, logger: silentLogger(), platforms: ['sandbox'], now });
  tips = assembleTips({ datastore: store, box: parts.box, audit, outbox, translator, now, limits: { tipsPerHour: 100, wrongCodesPerHour: 100 } });
  questions = assembleQuestions({ datastore: store, box: parts.box, audit, outbox, translator, now, timeZone: config.timeZone, limits: { perHour: 100 } });
  sources = reportSourcesOn(store, { box: parts.box, audit, library, config, now });

  await seedGroups();
  await seedBroadcasts();
  await seedTips();
  await seedQuestions();
  clock.now = at('2026-06-28', '10:00');
  report = await campaignReport(sources, { from: '2026-06-01', to: '2026-06-30' });
}, 60_000);

afterAll(async () => {
  await broadcasts.close();
  await tips.close();
  await questions.shutdown();
  await closeModuleParts({ store, outbox });
});

const countOf = <T>(items: readonly T[], keep: (item: T) => boolean) => items.filter(keep).length;
const outcomes = (items: readonly SeededDelivery[]) => ({
  planned: items.length,
  sent: countOf(items, (d) => d.outcome === 'sent'),
  failed: countOf(items, (d) => d.outcome === 'failed'),
  skipped: countOf(items, (d) => d.outcome === 'skipped'),
  pending: countOf(items, (d) => d.outcome === 'pending'),
});

describe('the campaign report of June', () => {
  it('covers the campaign named by its period, on the ward’s clock', () => {
    expect(report.period).toEqual({ from: '2026-06-01', to: '2026-06-30', timeZone: TZ });
    expect(report.campaign?.id).toBe('2026-thang-hanh-dong');
    expect(report.generatedAt).toBe(at('2026-06-28', '10:00').toISOString());
    expect(report.ward).toEqual({ name: 'phường Lê Chân', nameEn: 'Le Chan Ward' });
  });

  it('counts broadcast runs planned, sent, skipped and still ahead, and deliveries per topic and per group', () => {
    const { broadcasts: figures } = report;
    expect(figures.runs).toEqual({
      planned: runs.length,
      done: countOf(runs, (r) => r.status === 'done'),
      skipped: countOf(runs, (r) => r.status === 'skipped'),
      inProgress: 0,
      upcoming: countOf(runs, (r) => r.status === 'upcoming'),
    });
    expect(figures.runSkips.paused).toBe(1);
    expect(figures.deliveries).toEqual(outcomes(deliveries));

    const topics = [...new Set(runs.map((r) => r.topic))];
    expect(figures.byTopic.map((row) => row.topic).sort()).toEqual(topics.sort());
    for (const topic of topics) {
      expect(figures.byTopic.find((row) => row.topic === topic), topic).toEqual({
        topic,
        runs: countOf(runs, (r) => r.topic === topic),
        ...outcomes(deliveries.filter((d) => d.topic === topic)),
      });
    }

    const approvedNow = ['1', '2', '3', '7'].map((name) => group(name).id);
    const groupIds = [...new Set([...deliveries.map((d) => d.groupId), ...approvedNow])].sort();
    expect(figures.byGroup.map((row) => row.groupId).sort()).toEqual(groupIds);
    for (const id of groupIds) {
      const known = [...groupsByName.values()].find((g) => g.id === id)!;
      expect(figures.byGroup.find((row) => row.groupId === id)).toEqual({ groupId: id, name: known.name, platform: 'sandbox', ...outcomes(deliveries.filter((d) => d.groupId === id)) });
    }
    expect(figures.byGroup.map((row) => row.name)).toEqual([...figures.byGroup.map((row) => row.name)].sort());
  });

  it('counts groups reached out of those approved', () => {
    const approvedNow = ['1', '2', '3', '7'].map((name) => group(name).id);
    const reached = approvedNow.filter((id) => deliveries.some((d) => d.groupId === id && d.outcome === 'sent'));
    expect(report.groups).toEqual({ approved: approvedNow.length, reached: reached.length, pending: 1, paused: 1, removed: 1 });
    expect(reached.length).toBeLessThan(approvedNow.length);
  });

  it('counts questions answered automatically and by staff', () => {
    const asked = staffQuestions.filter((q) => inJune(q.createdAt));
    expect(report.questions).toEqual({
      answeredAutomatically: countOf(automaticAnswers, inJune),
      passedToStaff: { unanswered: countOf(asked, (q) => q.reason === 'unanswered'), asked: countOf(asked, (q) => q.reason === 'asked') },
      answeredByStaff: countOf(staffQuestions, (q) => q.answeredAt !== undefined && inJune(q.answeredAt)),
      stillOpen: countOf(asked, (q) => q.open),
    });
  });

  it('counts tips by category and status, the time to the first police action and the replies sent', () => {
    const received = seededTips.filter((tip) => inJune(tip.createdAt));
    const byCategory = Object.fromEntries(['trade', 'use-place', 'online', 'disguised', 'other'].map((c) => [c, countOf(received, (tip) => tip.category === c)]));
    const byStatus = Object.fromEntries(['new', 'triaged', 'in-progress', 'closed', 'spam', 'duplicate', 'purged'].map((s) => [s, countOf(received, (tip) => tip.status === s)]));
    // The purged tip's times went with it: only tips still stored are timed.
    const waits = received
      .filter((tip) => tip.status !== 'purged' && tip.firstActionAt)
      .map((tip) => (tip.firstActionAt!.getTime() - tip.createdAt.getTime()) / 1000)
      .sort((a, b) => a - b);
    expect(waits).toEqual([600, 1800, 7200, 18000]);
    const juneReplies = replies.filter((r) => inJune(r.at));
    expect(report.tips).toEqual({
      received: received.length,
      byCategory,
      byStatus,
      firstAction: {
        acted: waits.length,
        waiting: countOf(received, (tip) => tip.status !== 'purged' && !tip.firstActionAt),
        medianSeconds: waits[Math.ceil(waits.length / 2) - 1],
        p90Seconds: waits[Math.ceil(waits.length * 0.9) - 1],
      },
      replies: { sent: juneReplies.length, toChat: countOf(juneReplies, (r) => r.toChat) },
    });
  });

  it('keeps every tip’s text, receipt code and reply chat, and every chat id, out of all exports', async () => {
    const outputs: string[] = [];
    for (const locale of ['vi', 'en'] as const) {
      const t = (await createTranslator('vi')).t(locale);
      outputs.push(renderHtml(report, t, locale), renderMarkdown(report, t, locale), ...renderCsv(report, t).map((f) => f.content));
    }
    outputs.push(JSON.stringify(report));
    const secrets = [
      ...seededTips.flatMap((tip) => [tip.what, tip.what.slice(-20), tip.where, tip.code, tip.code.replaceAll('-', ''), ...(tip.chatId ? [tip.chatId] : [])]),
      ...groupChatIds,
    ];
    expect(seededTips.filter((tip) => ['new', 'triaged'].includes(tip.status)).length).toBeGreaterThan(0);
    for (const output of outputs) {
      for (const secret of secrets) expect(output.includes(secret), secret).toBe(false);
      expect(output).not.toMatch(/bí mật/);
    }
  });
});
