import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { domainFailure } from '../../test/support/domain-errors.js';
import { approver, broadcastHarness, shippedLibrary, staff, type BroadcastHarness } from '../../test/support/broadcasts.js';
import { importCalendar } from './calendar-import.js';
import { deliveryRows, summarise } from './delivery-report.js';
import { deliveryId, occurrenceId } from './fan-out.js';

let h: BroadcastHarness;

beforeEach(async () => {
  h = await broadcastHarness();
});

afterEach(async () => {
  await h.close();
});

const ward = '2026-thang-hanh-dong';
const oneOff = (at: string, extra: Record<string, unknown> = {}) => ({
  title: 'Nhắc tố giác',
  timing: { kind: 'once', at },
  target: { kind: 'all' },
  content: { kind: 'message', campaign: ward, message: 'to-giac-vi-sao-01' },
  ...extra,
});

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  return (await domainFailure(promise)).problems.map((p) => `${p.field} ${p.key}`);
}

describe('the campaign calendar', () => {
  it('becomes one draft per dated entry at its ward time and one recurring schedule per weekly entry, once', async () => {
    await h.addGroups(2);
    const library = await shippedLibrary();
    const { calendar, campaign } = library.campaigns.find((c) => c.campaign.id === ward)!;

    const result = await importCalendar(h.broadcasts, ward, { kind: 'all' }, staff);
    expect(result.rejected).toEqual([]);
    expect(result.past).toBe(0);
    expect(result.created).toHaveLength(calendar.entries.length + calendar.weekly.length);
    expect(result.created.every((s) => s.status === 'draft' && s.origin === `calendar:${ward}`)).toBe(true);

    // Independently of the importer: each dated entry at its own time or the default, as +07:00 wall time.
    const onceAt = result.created.filter((s) => s.timing.kind === 'once').map((s) => [s.content.kind === 'message' && s.content.message, s.timing.kind === 'once' && s.timing.at]);
    const expected = calendar.entries.map((e) => [e.message, new Date(`${e.date}T${e.at ?? calendar.default_time}:00+07:00`).toISOString()]);
    expect(onceAt).toEqual(expect.arrayContaining(expected));
    expect(onceAt).toContainEqual(['khai-mac-thang-hanh-dong', '2026-06-01T00:30:00.000Z']);

    const weekly = result.created.filter((s) => s.timing.kind === 'cron');
    expect(weekly.map((s) => s.timing)).toEqual([
      expect.objectContaining({ pattern: '0 19 * * 1', timeZone: 'Asia/Ho_Chi_Minh', from: '2026-05-31T17:00:00.000Z', until: '2026-06-30T16:59:00.000Z' }),
    ]);
    expect(campaign.timezone).toBe('Asia/Ho_Chi_Minh');

    const again = await importCalendar(h.broadcasts, ward, { kind: 'all' }, staff);
    expect(again.created).toEqual([]);
    expect(again.existing).toHaveLength(result.created.length);
    expect(await h.broadcasts.list(staff)).toHaveLength(result.created.length);
  });

  it('skips entries whose time has passed', async () => {
    await h.addGroups(1);
    h.clock.now = new Date('2026-06-26T00:00:00Z');
    const result = await importCalendar(h.broadcasts, ward, { kind: 'all' }, staff);
    const library = await shippedLibrary();
    const entries = library.campaigns.find((c) => c.campaign.id === ward)!.calendar.entries;
    const stillAhead = entries.filter((e) => new Date(`${e.date}T${e.at ?? '07:30'}:00+07:00`) > h.clock.now);
    expect(result.created.filter((s) => s.timing.kind === 'once')).toHaveLength(stillAhead.length);
    expect(result.past).toBe(entries.length - stillAhead.length);
  });
});

describe('approval', () => {
  it('only an approved schedule fires; a draft occurrence is recorded as skipped and sends nothing', async () => {
    await h.addGroups(3);
    const draft = (await h.broadcasts.create(oneOff('2026-06-05 07:30'), staff))!;
    const at = new Date('2026-06-05T00:30:00Z');

    const skipped = await h.broadcasts.fanOut(draft.id, at);
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'draft' });
    expect(await h.outbox.queue('sandbox').getJobCounts('wait', 'delayed', 'prioritized')).toEqual({ wait: 0, delayed: 0, prioritized: 0 });

    const approved = await h.broadcasts.approve(draft.id, approver);
    expect(approved).toMatchObject({ status: 'approved', approvedBy: approver.name });
    const trigger = await h.broadcasts.deps.triggers.queue.getJob(`once.${draft.id}`);
    expect(trigger?.data).toEqual({ scheduleId: draft.id, at: at.getTime() });

    // The first run of this occurrence was skipped for good; the approved schedule's next occurrence sends.
    const later = (await h.broadcasts.create(oneOff('2026-06-06 07:30'), staff))!;
    await h.broadcasts.approve(later.id, approver);
    const done = await h.broadcasts.fanOut(later.id, new Date('2026-06-06T00:30:00Z'));
    expect(done.status).toBe('done');
    expect(summarise(await deliveryRows(done.id, h.broadcasts.deps.store, h.outbox))).toMatchObject({ targeted: 3, queued: 3 });
    expect((await h.broadcasts.get(later.id, staff)).status).toBe('finished');
  });

  it('refuses approval by the author, by staff and by admin, and of a one-off whose time has passed', async () => {
    await h.addGroups(1);
    const own = (await h.broadcasts.create(oneOff('2026-06-05 07:30'), approver))!;
    await expect(h.broadcasts.approve(own.id, approver)).rejects.toMatchObject({ kind: 'forbidden', key: 'broadcasts:errors.ownApproval' });
    await expect(h.broadcasts.approve(own.id, staff)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(h.broadcasts.approve(own.id, { name: 'root', role: 'admin' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(h.broadcasts.list({ name: 'police', role: 'police' })).rejects.toMatchObject({ kind: 'forbidden' });

    h.clock.now = new Date('2026-06-05T01:00:00Z');
    await expect(h.broadcasts.approve(own.id, { name: 'other', role: 'approver' })).rejects.toMatchObject({ kind: 'conflict', key: 'broadcasts:errors.timePassed' });
  });

  it('audits who created and approved what', async () => {
    await h.addGroups(1);
    const draft = (await h.broadcasts.create(oneOff('2026-06-05 07:30'), staff))!;
    await h.broadcasts.approve(draft.id, approver);
    await h.broadcasts.pause(draft.id, staff);
    const audit = await h.broadcasts.deps.audit.latest(10);
    expect(audit.filter((e) => e.subject === `broadcast:${draft.id}`).map((e) => [e.actor, e.action])).toEqual(
      expect.arrayContaining([
        [staff.name, 'broadcast.created'],
        [approver.name, 'broadcast.approved'],
        [staff.name, 'broadcast.paused'],
      ]),
    );
  });
});

describe('bad input is refused before anything is stored', () => {
  it('names each wrong field precisely', async () => {
    await h.addGroups(1, { tags: ['khu-a'] });
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-05-01 07:30'), staff))).toEqual(['timing.at broadcasts:problems.pastTime']);
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-02-30 07:30'), staff))).toEqual(['timing.at broadcasts:problems.badTime']);
    expect(await problemsOf(h.broadcasts.create({ ...oneOff('x'), timing: { kind: 'cron', pattern: '0 7 * *' } }, staff))).toEqual(['timing.pattern broadcasts:problems.cron.five-fields']);
    expect(await problemsOf(h.broadcasts.create({ ...oneOff('x'), timing: { kind: 'cron', pattern: '0 25 * * *' } }, staff))).toEqual(['timing.pattern broadcasts:problems.cron.syntax']);
    expect(await problemsOf(h.broadcasts.create({ ...oneOff('x'), timing: { kind: 'cron', pattern: '0 7 * * *', until: '2026-05-01 00:00' } }, staff))).toEqual(['timing.until broadcasts:problems.pastTime']);
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-06-05 07:30', { content: { kind: 'message', campaign: ward, message: 'khong-co' } }), staff))).toEqual([
      'content.message broadcasts:problems.unknownMessage',
    ]);
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-06-05 07:30', { target: { kind: 'tags', tags: ['khu-b'] } }), staff))).toEqual(['target broadcasts:problems.emptyTarget']);
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-06-05 07:30', { target: { kind: 'groups', ids: ['g-nope'] } }), staff))).toEqual(['target.ids broadcasts:problems.unknownGroups']);
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-06-05 07:30', { content: { kind: 'text', text: { vi: 'a'.repeat(2001) } } }), staff))).toEqual([
      'content.text.vi broadcasts:problems.tooLong',
      'content.text.en broadcasts:problems.tooLong',
    ]);
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-06-05 07:30', { content: { kind: 'text', text: { vi: 'Gọi {{ so_dien_thoai }}' } } }), staff))).toEqual(
      expect.arrayContaining(['content.text.vi broadcasts:problems.unknownPlaceholder']),
    );
    expect(await problemsOf(h.broadcasts.create({ title: '', timing: { kind: 'once' } }, staff))).toEqual(
      expect.arrayContaining(['title broadcasts:problems.schema', 'timing.at broadcasts:problems.schema', 'target broadcasts:problems.schema']),
    );
    expect(await h.broadcasts.list(staff)).toEqual([]);
  });
});

describe('quiet hours', () => {
  it('refuse a non-urgent time inside them, at creation and again when an occurrence fires', async () => {
    await h.addGroups(2);
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-06-05 21:30'), staff))).toEqual(['timing.at broadcasts:problems.quietHours']);
    expect(await problemsOf(h.broadcasts.create(oneOff('2026-06-05 06:00'), staff))).toEqual(['timing.at broadcasts:problems.quietHours']);
    expect(await problemsOf(h.broadcasts.create({ ...oneOff('x'), timing: { kind: 'cron', pattern: '30 22 * * *' } }, staff))).toEqual(['timing.pattern broadcasts:problems.quietHours']);
    expect(await h.broadcasts.create(oneOff('2026-06-05 21:00'), staff)).toBeDefined();

    const urgent = (await h.broadcasts.create(oneOff('2026-06-05 23:15', { urgent: true }), staff))!;
    await h.broadcasts.approve(urgent.id, approver);
    expect((await h.broadcasts.fanOut(urgent.id, new Date('2026-06-05T16:15:00Z'))).status).toBe('done');

    // An hour that was fine when approved but is quiet by the time it fires (the setting changed) is skipped.
    const normal = (await h.broadcasts.create(oneOff('2026-06-05 20:30'), staff))!;
    await h.broadcasts.approve(normal.id, approver);
    Object.assign(h.broadcasts.deps, { quietHours: { from: '20:00', to: '06:30' } });
    expect(await h.broadcasts.fanOut(normal.id, new Date('2026-06-05T13:30:00Z'))).toMatchObject({ status: 'skipped', reason: 'quiet-hours' });
  });
});

describe('rotation', () => {
  it('never gives a group the same item twice within a campaign, and a re-run keeps its choice', async () => {
    const groups = await h.addGroups(3);
    const topic = 'criminal-tricks';
    const library = await shippedLibrary();
    const items = library.campaigns.find((c) => c.campaign.id === ward)!.messages.filter((m) => m.topic === topic).map((m) => m.id);
    expect(items.length).toBeGreaterThanOrEqual(3);

    // One group already had the first law item through a fixed broadcast.
    const fixed = (await h.broadcasts.create(oneOff('2026-06-01 08:00', { target: { kind: 'groups', ids: [groups[0]!.id] }, content: { kind: 'message', campaign: ward, message: items[0] } }), staff))!;
    await h.broadcasts.approve(fixed.id, approver);
    await h.broadcasts.fanOut(fixed.id, new Date('2026-06-01T01:00:00Z'));

    const rotation = (await h.broadcasts.create({ ...oneOff('x'), timing: { kind: 'cron', pattern: '0 8 * * *' }, content: { kind: 'rotation', campaign: ward, topic } }, staff))!;
    await h.broadcasts.approve(rotation.id, approver);
    const received = new Map(groups.map((g) => [g.id, [] as string[]]));
    received.get(groups[0]!.id)!.push(items[0]!);
    for (let day = 0; day <= items.length; day++) {
      const at = new Date(Date.UTC(2026, 5, 2 + day, 1));
      const occurrence = await h.broadcasts.fanOut(rotation.id, at);
      for (const row of await deliveryRows(occurrence.id, h.broadcasts.deps.store, h.outbox)) {
        if (row.item) received.get(row.groupId)!.push(row.item);
        else expect(row.skip).toBe('rotation-exhausted');
      }
      // Running the same occurrence again neither advances the rotation nor queues anything more.
      const again = await h.broadcasts.fanOut(rotation.id, at);
      expect(again.id).toBe(occurrence.id);
    }
    for (const [, got] of received) {
      expect(new Set(got).size).toBe(got.length);
      expect(new Set(got)).toEqual(new Set(items));
    }
    const queued = await h.outbox.queue('sandbox').getJobCountByTypes('wait', 'prioritized', 'delayed');
    expect(queued).toBe(1 + groups.length * items.length - 1);
  });
});

describe('delivery', () => {
  it('fans one occurrence out to one delivery per group, however often and however concurrently it is triggered', async () => {
    const groups = await h.addGroups(40);
    const schedule = (await h.broadcasts.create(oneOff('2026-06-05 07:30'), staff))!;
    await h.broadcasts.approve(schedule.id, approver);
    const at = new Date('2026-06-05T00:30:00Z');
    await Promise.all([h.broadcasts.fanOut(schedule.id, at), h.broadcasts.fanOut(schedule.id, at), h.broadcasts.fanOut(schedule.id, at)]);
    await h.broadcasts.fanOut(schedule.id, at);
    const jobs = await h.outbox.queue('sandbox').getJobs(['wait', 'prioritized', 'delayed']);
    expect(jobs).toHaveLength(groups.length);
    const occurrence = occurrenceId(schedule.id, at, 'Asia/Ho_Chi_Minh');
    expect(new Set(jobs.map((j) => j.id))).toEqual(new Set(groups.map((g) => deliveryId(occurrence, g.id))));
    expect(await h.broadcasts.deps.store.occurrencesOf(schedule.id)).toHaveLength(1);
  });

  it('finishes a fan-out interrupted part-way without queueing anything twice', async () => {
    const groups = await h.addGroups(620);
    const schedule = (await h.broadcasts.create(oneOff('2026-06-05 07:30'), staff))!;
    await h.broadcasts.approve(schedule.id, approver);
    const at = new Date('2026-06-05T00:30:00Z');

    const sendMany = h.outbox.sendMany.bind(h.outbox);
    let batches = 0;
    h.outbox.sendMany = async (requests) => {
      batches += 1;
      if (batches === 2) throw new Error('worker died here');
      return sendMany(requests);
    };
    await expect(h.broadcasts.fanOut(schedule.id, at)).rejects.toThrow('worker died here');
    expect((await h.outbox.queue('sandbox').getJobCounts('prioritized')).prioritized).toBe(500);

    h.outbox.sendMany = sendMany;
    const finished = await h.broadcasts.fanOut(schedule.id, at);
    expect(finished.status).toBe('done');
    const rows = await deliveryRows(finished.id, h.broadcasts.deps.store, h.outbox);
    expect(rows).toHaveLength(groups.length);
    expect((await h.outbox.queue('sandbox').getJobCounts('prioritized')).prioritized).toBe(groups.length);
  });

  it('reaches groups by tag, platform or name and records why a named group is skipped', async () => {
    const [a1] = await h.addGroups(1, { tags: ['khu-a'] });
    const [b1, b2] = await h.addGroups(2, { tags: ['khu-b'] });
    await h.groups.pause(b2!.id, 'test');
    await h.groups.markUnreachable('sandbox', b1!.chatId, 'removed-from-group');

    const byTag = (await h.broadcasts.create(oneOff('2026-06-05 07:30', { target: { kind: 'tags', tags: ['khu-a'] } }), staff))!;
    const named = (await h.broadcasts.create(oneOff('2026-06-05 07:30', { target: { kind: 'groups', ids: [a1!.id, b1!.id, b2!.id] } }), staff))!;
    const rows: Record<string, unknown> = {};
    for (const s of [byTag, named]) {
      await h.broadcasts.approve(s.id, approver);
      const o = await h.broadcasts.fanOut(s.id, new Date('2026-06-05T00:30:00Z'));
      rows[s.id] = Object.fromEntries((await deliveryRows(o.id, h.broadcasts.deps.store, h.outbox)).map((r) => [r.groupId, r.skip ?? r.status]));
    }
    expect(rows[byTag.id]).toEqual({ [a1!.id]: 'queued' });
    expect(rows[named.id]).toEqual({ [a1!.id]: 'queued', [b1!.id]: 'unreachable', [b2!.id]: 'group-paused' });
  });

  it('records a paused schedule\'s occurrence as skipped and removes a cancelled one\'s trigger', async () => {
    await h.addGroups(1);
    const recurring = (await h.broadcasts.create({ ...oneOff('x'), timing: { kind: 'cron', pattern: '0 8 * * 1' } }, staff))!;
    await h.broadcasts.approve(recurring.id, approver);
    expect(await h.broadcasts.deps.triggers.queue.getJobScheduler(recurring.id)).toBeDefined();
    await h.broadcasts.pause(recurring.id, staff);
    expect(await h.broadcasts.fanOut(recurring.id, new Date('2026-06-01T01:00:00Z'))).toMatchObject({ status: 'skipped', reason: 'paused' });
    await expect(h.broadcasts.pause(recurring.id, staff)).rejects.toMatchObject({ kind: 'conflict' });
    await h.broadcasts.resume(recurring.id, staff);
    expect((await h.broadcasts.fanOut(recurring.id, new Date('2026-06-08T01:00:00Z'))).status).toBe('done');
    await h.broadcasts.cancel(recurring.id, staff);
    expect(await h.broadcasts.deps.triggers.queue.getJobScheduler(recurring.id)).toBeUndefined();
  });
});
