import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { domainFailure } from '../../test/support/domain-errors.js';
import { closeModuleParts, openModuleParts, testConfig } from '../../test/support/module-parts.js';
import { keysUnder } from '../../test/support/stored.js';
import type { Actor } from '../accounts/actor.js';
import { auditKeys, type AuditLog } from '../audit/audit-log.js';
import { LANE_PRIORITY, type Outbox } from '../channels/outbound/outbox.js';
import type { Config } from '../platform/config.js';
import { HTTP_STATUS } from '../platform/domain-error.js';
import { createTranslator } from '../platform/i18n.js';
import type { Datastore } from '../platform/redis/datastore.js';
import { assembleTips } from './assemble.js';
import { sanitisePhoto } from './photos.js';
import { canonicalReceiptCode, newReceiptCode } from './receipt-code.js';
import type { TipOrigin } from './schemas.js';
import type { Tips } from './tips.js';

const police: Actor = { name: 'cs.hung', role: 'police' };
const otherPolice: Actor = { name: 'cs.mai', role: 'police' };
const START = '2026-06-01T01:00:00.000Z';
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A tip text nobody else writes, so a test can tell its tips apart and find them (or not) anywhere. */
const uniqueWhat = (stem = 'Có người bán ma túy đá ở quán nước') => `${stem} số ${randomBytes(4).toString('hex')}`;
const tip = (overrides: Record<string, unknown> = {}) => ({ category: 'trade', where: 'ngõ 12 Lạch Tray', when: 'tối thứ bảy', what: uniqueWhat(), ...overrides });
const chat = (chatId = `77${randomBytes(4).readUInt32BE()}`, locale: 'vi' | 'en' = 'vi'): TipOrigin & { kind: 'chat' } => ({ kind: 'chat', platform: 'telegram', chatId, locale });
const web = (address = `203.0.113.${randomBytes(1)[0]}`): TipOrigin & { kind: 'web' } => ({ kind: 'web', address, locale: 'vi' });

interface TipHarness {
  tips: Tips;
  outbox: Outbox;
  audit: AuditLog;
  store: Datastore;
  config: Config;
  clock: { now: Date };
  /** Another process on the same Redis and settings: a new datastore, store and `Tips`, sharing nothing in memory. */
  reopened(): Promise<{ tips: Tips; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function tipHarness(): Promise<TipHarness> {
  const config = testConfig();
  const translator = await createTranslator('vi');
  const clock = { now: new Date(START) };
  async function open() {
    const { store, box, outbox, audit } = await openModuleParts(config);
    const tips = assembleTips({ datastore: store, box, audit, outbox, translator, now: () => clock.now });
    const close = async () => {
      await tips.close();
      await outbox.close();
      await store.close();
    };
    return { store, outbox, audit, tips, close };
  }
  const first = await open();
  return {
    ...first,
    config,
    clock,
    reopened: open,
    async close() {
      await first.tips.close();
      await closeModuleParts(first);
    },
  };
}

let h: TipHarness;

beforeEach(async () => {
  h = await tipHarness();
});

afterEach(async () => {
  await h.close();
});

const problemsOf = async (promise: Promise<unknown>) => (await domainFailure(promise)).problems.map((p) => `${p.field} ${p.key}`);

/** Every key under the test's prefix. */
const allKeys = () => keysUnder(h.store.redis, h.store.prefix);

describe('the receipt code', () => {
  it('opens the tip from any chat or the web, however it is typed, and lets the tipster add to it', async () => {
    const origin = chat();
    const input = tip();
    const { id, code } = await h.tips.submit(input, origin);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(id).toMatch(/^t-[0-9a-f]{10}$/);

    const view = await h.tips.view(code, origin);
    expect(view).toEqual({ id, category: 'trade', status: 'new', createdAt: START, thread: [] });
    const typed = code.toLowerCase().replaceAll('-', ' ');
    expect(await h.tips.view(typed, web())).toEqual(view);
    expect(await h.tips.view(code.replaceAll('-', ''), chat())).toEqual(view);

    h.clock.now = new Date(Date.parse(START) + 60_000);
    const added = await h.tips.addFromTipster(typed, '  Bổ sung: xe máy biển 15B1-999.99  ', web());
    expect(added.thread).toEqual([{ from: 'tipster', at: h.clock.now.toISOString(), text: 'Bổ sung: xe máy biển 15B1-999.99' }]);

    const read = await h.tips.read(id, police);
    expect(read).toMatchObject({ id, status: 'new', source: 'chat', messages: 1, updatedAt: h.clock.now.toISOString(), content: { category: 'trade', where: input.where, when: input.when, what: input.what } });
    expect(read.thread).toEqual(added.thread);
    // The record the police see names nothing that could lead back to the tipster or the code.
    expect(JSON.stringify(read)).not.toContain(origin.chatId);
    expect(Object.keys(read)).not.toContain('codeHash');
  });

  it('shows the tipster the police replies but never their notes', async () => {
    const { id, code } = await h.tips.submit(tip(), web());
    await h.tips.note(id, 'Ghi chú nội bộ: đối tượng quen mặt', police);
    await h.tips.reply(id, 'Cảm ơn bạn, chúng tôi đã tiếp nhận.', police);
    const view = await h.tips.view(code, web());
    expect(view.thread.map((e) => [e.from, e.text])).toEqual([['police', 'Cảm ơn bạn, chúng tôi đã tiếp nhận.']]);
    expect(JSON.stringify(view)).not.toContain('Ghi chú nội bộ');
  });

  it('answers a mistyped, an unknown and a made-up code alike, revealing nothing', async () => {
    await h.tips.submit(tip(), chat());
    const asker = chat();
    const answers = await Promise.all(['', 'abc', 'ILOU-ILOU-ILOU-ILOU-X', newReceiptCode(), '0000-0000-0000-0000'].map((code) => domainFailure(h.tips.view(code, asker))));
    for (const err of answers) {
      expect({ kind: err.kind, key: err.key, params: err.params, problems: err.problems }).toEqual({ kind: 'not-found', key: 'tips:errors.unknownCode', params: {}, problems: [] });
    }
    expect((await domainFailure(h.tips.addFromTipster(newReceiptCode(), 'Bổ sung thêm', asker))).key).toBe('tips:errors.unknownCode');
  });

  it('makes an asker wait after ten wrong codes in an hour, even with the right one, and no one else', async () => {
    const { code } = await h.tips.submit(tip(), chat());
    const guesser = chat();
    for (let i = 0; i < 10; i++) expect((await domainFailure(h.tips.view(newReceiptCode(), guesser))).kind).toBe('not-found');
    const blocked = await domainFailure(h.tips.view(code, guesser));
    expect({ kind: blocked.kind, key: blocked.key }).toEqual({ kind: 'rate-limited', key: 'tips:errors.tooManyCodes' });
    expect(HTTP_STATUS[blocked.kind]).toBe(429);
    expect((await domainFailure(h.tips.addFromTipster(code, 'Bổ sung thêm', guesser))).kind).toBe('rate-limited');
    // The same address on the web is someone else: counters are per requester.
    expect((await h.tips.view(code, { kind: 'web', address: guesser.chatId })).status).toBe('new');
    expect((await h.tips.view(code, chat())).status).toBe('new');
  });

  it('opens again in a new process on the same Redis once acknowledged', async () => {
    const origin = chat('7700112233', 'en');
    const input = tip();
    const { id, code } = await h.tips.submit(input, origin, [await sanitisePhoto(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).jpeg().toBuffer())]);
    await h.tips.addFromTipster(code, 'Thêm chi tiết', origin);

    const other = await h.reopened();
    try {
      const view = await other.tips.view(code, chat());
      expect(view).toMatchObject({ id, status: 'new', thread: [{ from: 'tipster', text: 'Thêm chi tiết' }] });
      expect((await other.tips.read(id, police)).content).toEqual(input);
      expect((await other.tips.photo(id, 0, police)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect((await other.tips.reply(id, 'Đã nhận', police)).deliveredToChat).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('taking tips in', () => {
  it('refuses the sixth tip from one sender in an hour, but not a tip from anyone else', async () => {
    const sender = chat();
    for (let i = 0; i < 5; i++) await h.tips.submit(tip(), sender);
    const err = await domainFailure(h.tips.submit(tip(), sender));
    expect({ kind: err.kind, key: err.key, params: err.params }).toEqual({ kind: 'rate-limited', key: 'tips:errors.tooMany', params: { max: 5 } });
    await h.tips.submit(tip(), chat());
    const address = web();
    for (let i = 0; i < 5; i++) await h.tips.submit(tip(), address);
    expect((await domainFailure(h.tips.submit(tip(), address))).kind).toBe('rate-limited');
    expect(await h.tips.list(police)).toHaveLength(11);
  });

  it('takes the same text once from a sender, and from someone else as a hint of a similar tip', async () => {
    const sender = chat();
    const what = uniqueWhat();
    const first = await h.tips.submit(tip({ what }), sender);
    const again = await domainFailure(h.tips.submit(tip({ what: `  ${what.toUpperCase().replace(/ /g, '   ')} `, where: 'chỗ khác' }), sender));
    expect({ kind: again.kind, key: again.key }).toEqual({ kind: 'conflict', key: 'tips:errors.repeated' });
    const second = await h.tips.submit(tip({ what }), chat());
    const third = await h.tips.submit(tip({ what }), web('198.51.100.7'));
    expect((await domainFailure(h.tips.submit(tip({ what }), web('198.51.100.7')))).kind).toBe('conflict');

    const similar = Object.fromEntries((await h.tips.list(police)).map((r) => [r.id, r.similarTo]));
    expect(similar).toEqual({ [first.id]: undefined, [second.id]: first.id, [third.id]: first.id });
    expect((await h.tips.read(second.id, police)).similarTo).toBe(first.id);
  });

  it('checks each field and stores nothing it refuses', async () => {
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['what too short', { what: 'ngắn quá!' }, ['what tips:problems.what']],
      ['what only spaces', { what: `   ${'a'.repeat(9)}    ` }, ['what tips:problems.what']],
      ['what too long', { what: 'x'.repeat(4001) }, ['what tips:problems.what']],
      ['no what', { what: undefined }, ['what tips:problems.what']],
      ['where too long', { where: 'đ'.repeat(301) }, ['where tips:problems.where']],
      ['when too long', { when: 'h'.repeat(201) }, ['when tips:problems.when']],
      ['unknown category', { category: 'weapons' }, ['category tips:problems.category']],
    ];
    for (const [what, overrides, problems] of cases) {
      const err = await domainFailure(h.tips.submit(tip(overrides), chat()));
      expect(err.kind, what).toBe('invalid');
      expect(err.key, what).toBe('tips:errors.invalid');
      expect(err.problems.map((p) => `${p.field} ${p.key}`), what).toEqual(problems);
    }
    expect(await problemsOf(h.tips.submit('không phải đối tượng', chat()))).toEqual(['tip tips:problems.tip']);
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    expect(await problemsOf(h.tips.submit(tip(), chat(), [photo, photo, photo, photo]))).toEqual(['photos tips:problems.photos']);
    expect(await h.tips.list(police)).toEqual([]);

    const edges = [tip({ what: 'a'.repeat(10) }), tip({ what: `${'b'.repeat(4000)}` }), tip({ where: 'đ'.repeat(300), when: 'h'.repeat(200), what: uniqueWhat() }), { category: 'other', what: uniqueWhat() }];
    for (const input of edges) await h.tips.submit(input, chat());
    expect(await h.tips.list(police)).toHaveLength(edges.length);
  });

  it('refuses an empty or huge message from the tipster or the police', async () => {
    const { id, code } = await h.tips.submit(tip(), web());
    for (const text of ['', '   \n ', 'x'.repeat(4001)]) {
      expect(await problemsOf(h.tips.addFromTipster(code, text, web())), JSON.stringify(text.slice(0, 5))).toEqual(['text tips:problems.message']);
      expect(await problemsOf(h.tips.note(id, text, police))).toEqual(['text tips:problems.message']);
      expect(await problemsOf(h.tips.reply(id, text, police))).toEqual(['text tips:problems.message']);
    }
    const read = await h.tips.read(id, police);
    expect([read.thread, read.notes, read.messages]).toEqual([[], [], 0]);
  });
});

describe('answering the tipster', () => {
  it('sends a police reply through the outbox to the chat the tip came from, in its language', async () => {
    const origin = chat('7711223344', 'en');
    const { id, code } = await h.tips.submit(tip(), origin);
    expect(await h.tips.reply(id, 'Thank you, we are looking into it.', police)).toEqual({ deliveredToChat: true });

    const deliveries = (await h.tips.deps.store.links(id)).filter((l) => l.kind === 'delivery');
    expect(deliveries).toHaveLength(1);
    const deliveryId = deliveries[0]!.ref;
    expect(await h.outbox.payload(deliveryId)).toEqual({
      chatId: '7711223344',
      chatKind: 'private',
      message: { kind: 'text', text: 'The ward police answered your tip:\n\nThank you, we are looking into it.\n\nTo read everything and answer, send /ma followed by your receipt code.' },
    });
    const job = await h.outbox.queue('telegram').getJob(deliveryId);
    // The queue knows only which sealed payload to send, and sends it before any broadcast.
    expect(job?.data).toEqual({ id: deliveryId });
    expect(job?.opts.priority).toBe(LANE_PRIORITY.reply);
    expect((await h.outbox.deliveries.get(deliveryId))?.status).toBe('queued');

    expect((await h.tips.view(code, origin)).thread).toEqual([{ from: 'police', at: START, text: 'Thank you, we are looking into it.' }]);
    expect((await h.tips.read(id, police)).firstActionAt).toBe(START);
  });

  it('keeps a reply to a web tip behind its code alone', async () => {
    const address = web();
    const { id, code } = await h.tips.submit(tip(), address);
    expect(await h.tips.reply(id, 'Cảm ơn bạn đã báo tin.', police)).toEqual({ deliveredToChat: false });
    expect((await h.tips.deps.store.links(id)).map((l) => l.kind)).toEqual(['job']);
    for (const platform of ['zalo', 'zalo-oa', 'telegram', 'sandbox'] as const) expect(await h.outbox.queue(platform).getJobCounts('waiting', 'prioritized', 'delayed')).toEqual({ waiting: 0, prioritized: 0, delayed: 0 });
    expect((await h.tips.view(code, address)).thread.map((e) => e.text)).toEqual(['Cảm ơn bạn đã báo tin.']);
  });
});

describe('the police at work', () => {
  it('records when work started and when the tip was closed, and needs the original for a duplicate', async () => {
    const { id } = await h.tips.submit(tip(), chat());
    const { id: other } = await h.tips.submit(tip(), chat());
    const at = (hours: number) => {
      h.clock.now = new Date(Date.parse(START) + hours * HOUR_MS);
      return h.clock.now.toISOString();
    };

    const triaged = at(1);
    expect(await h.tips.change(id, { status: 'triaged' }, police)).toMatchObject({ status: 'triaged', firstActionAt: triaged, updatedAt: triaged });
    expect((await h.tips.read(id, police)).closedAt).toBeUndefined();
    const closed = at(2);
    expect(await h.tips.change(id, { status: 'closed' }, police)).toMatchObject({ status: 'closed', firstActionAt: triaged, closedAt: closed });
    at(3);
    const reopened = await h.tips.change(id, { status: 'in-progress', priority: 'high' }, police);
    expect(reopened).toMatchObject({ status: 'in-progress', priority: 'high', firstActionAt: triaged });
    expect(reopened.closedAt).toBeUndefined();

    const missing = await domainFailure(h.tips.change(id, { status: 'duplicate' }, police));
    expect([missing.kind, missing.problems.map((p) => p.field)]).toEqual(['invalid', ['duplicateOf']]);
    const unknown = await domainFailure(h.tips.change(id, { status: 'duplicate', duplicateOf: 't-0000000000' }, police));
    expect([unknown.kind, unknown.key, unknown.params]).toEqual(['not-found', 'tips:errors.notFound', { id: 't-0000000000' }]);
    expect((await h.tips.read(id, police)).status).toBe('in-progress');

    const merged = at(4);
    expect(await h.tips.change(id, { status: 'duplicate', duplicateOf: other }, police)).toMatchObject({ status: 'duplicate', duplicateOf: other, closedAt: merged });
    const spam = await h.tips.change(id, { status: 'spam' }, police);
    expect(spam).toMatchObject({ status: 'spam', closedAt: merged });
    expect(spam.duplicateOf).toBeUndefined();
  });

  it('claims a tip for one officer, which counts as the first action', async () => {
    const { id } = await h.tips.submit(tip(), web());
    h.clock.now = new Date(Date.parse(START) + HOUR_MS);
    expect(await h.tips.claim(id, police)).toMatchObject({ claimedBy: police.name, firstActionAt: h.clock.now.toISOString(), status: 'new' });
    h.clock.now = new Date(Date.parse(START) + 2 * HOUR_MS);
    expect(await h.tips.claim(id, otherPolice)).toMatchObject({ claimedBy: otherPolice.name, firstActionAt: new Date(Date.parse(START) + HOUR_MS).toISOString() });
    expect((await domainFailure(h.tips.claim('t-0000000000', police))).kind).toBe('not-found');
  });

  it('counts a first note as the first action, and a later note or claim does not move it', async () => {
    const { id } = await h.tips.submit(tip(), web());
    const noted = new Date(Date.parse(START) + 3 * HOUR_MS);
    h.clock.now = noted;
    await h.tips.note(id, 'Đã chuyển tổ trinh sát xác minh', police);
    expect((await h.tips.read(id, police)).firstActionAt).toBe(noted.toISOString());
    h.clock.now = new Date(Date.parse(START) + 4 * HOUR_MS);
    await h.tips.note(id, 'Bổ sung ghi chú', otherPolice);
    expect(await h.tips.claim(id, otherPolice)).toMatchObject({ firstActionAt: noted.toISOString(), updatedAt: h.clock.now.toISOString() });
  });

  it('lists by priority, then oldest first, filtered by status, category and time', async () => {
    const submitAt = async (hours: number, category: string) => {
      h.clock.now = new Date(Date.parse(START) + hours * HOUR_MS);
      return (await h.tips.submit(tip({ category }), chat())).id;
    };
    const a = await submitAt(0, 'trade');
    const b = await submitAt(1, 'online');
    const c = await submitAt(26, 'trade');
    const d = await submitAt(27, 'disguised');
    await h.tips.change(c, { priority: 'urgent' }, police);
    await h.tips.change(d, { priority: 'low', status: 'triaged' }, police);
    await h.tips.change(b, { priority: 'high' }, police);

    const ids = async (filter = {}) => (await h.tips.list(police, filter)).map((r) => r.id);
    expect(await ids()).toEqual([c, b, a, d]);
    expect(await ids({ status: 'new' })).toEqual([c, b, a]);
    expect(await ids({ status: 'triaged' })).toEqual([d]);
    expect(await ids({ category: 'trade' })).toEqual([c, a]);
    expect(await ids({ from: new Date(Date.parse(START) + DAY_MS).toISOString() })).toEqual([c, d]);
    expect(await ids({ to: new Date(Date.parse(START) + HOUR_MS).toISOString() })).toEqual([b, a]);
    expect(await ids({ status: 'closed' })).toEqual([]);
  });

  it('is for the police alone: staff, approvers and the admin are refused every read and change', async () => {
    const { id } = await h.tips.submit(tip(), chat(), [await sanitisePhoto(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer())]);
    const before = await h.tips.read(id, police);
    const trailBefore = (await h.audit.latest(1000)).length;
    for (const role of ['staff', 'approver', 'admin'] as const) {
      const actor: Actor = { name: `someone.${role}`, role };
      const attempts: Array<[string, Promise<unknown>]> = [
        ['list', h.tips.list(actor)],
        ['read', h.tips.read(id, actor)],
        ['photo', h.tips.photo(id, 0, actor)],
        ['change', h.tips.change(id, { status: 'closed' }, actor)],
        ['claim', h.tips.claim(id, actor)],
        ['note', h.tips.note(id, 'ghi chú', actor)],
        ['reply', h.tips.reply(id, 'trả lời', actor)],
        ['unknown tip', h.tips.read('t-0000000000', actor)],
      ];
      for (const [what, attempt] of attempts) {
        const err = await domainFailure(attempt);
        expect([err.kind, err.key, err.params], `${role} ${what}`).toEqual(['forbidden', 'tips:errors.forbidden', { role }]);
      }
    }
    expect(await h.tips.read(id, police)).toEqual(before);
    // Refusals leave no trace of the tip in the trail beyond the police's own read.
    expect((await h.audit.latest(1000)).length).toBe(trailBefore + 1);
  });

  it('writes every read and change to the audit trail, and never the text, the chat or the code', async () => {
    const origin = chat('7799887766');
    const input = tip({ where: 'hẻm 45 Trần Nguyên Hãn', when: 'khoảng 22 giờ' });
    const photo = await sanitisePhoto(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).jpeg().toBuffer());
    const { id, code } = await h.tips.submit(input, origin, [photo]);
    const { id: original } = await h.tips.submit(tip(), web('192.0.2.44'));
    await h.tips.addFromTipster(code, 'Tin bổ sung về chiếc xe màu đỏ', origin);
    await domainFailure(h.tips.view(newReceiptCode(), origin));

    await h.tips.list(police, { status: 'new', category: 'trade' });
    await h.tips.read(id, police);
    await h.tips.photo(id, 0, police);
    await h.tips.claim(id, police);
    await h.tips.change(id, { priority: 'urgent' }, police);
    await h.tips.note(id, 'Đã cử tổ công tác xác minh', police);
    await h.tips.reply(id, 'Chúng tôi đã nhận được thông tin, cảm ơn bạn', police);
    await h.tips.change(id, { status: 'duplicate', duplicateOf: original }, otherPolice);

    const trail = (await h.audit.latest(1000)).reverse();
    expect(trail.filter((e) => e.actor === police.name || e.actor === otherPolice.name).map((e) => [e.actor, e.action, e.subject])).toEqual([
      [police.name, 'tip.listed', 'tips'],
      [police.name, 'tip.read', `tip:${id}`],
      [police.name, 'tip.photo-viewed', `tip:${id}`],
      [police.name, 'tip.claimed', `tip:${id}`],
      [police.name, 'tip.changed', `tip:${id}`],
      [police.name, 'tip.noted', `tip:${id}`],
      [police.name, 'tip.replied', `tip:${id}`],
      [otherPolice.name, 'tip.changed', `tip:${id}`],
    ]);
    expect(trail.filter((e) => e.actor === 'tipster').map((e) => [e.action, e.subject])).toEqual([
      ['tip.received', `tip:${id}`],
      ['tip.received', `tip:${original}`],
      ['tip.tipster-message', `tip:${id}`],
    ]);
    expect(trail.find((e) => e.action === 'tip.received')!.details).toEqual({ category: 'trade', source: 'chat', photos: 1 });

    const written = JSON.stringify(trail);
    for (const secret of [input.what, input.where, input.when, 'xe màu đỏ', 'tổ công tác', 'cảm ơn bạn', origin.chatId, '192.0.2.44', code, canonicalReceiptCode(code)!]) {
      expect(written).not.toContain(secret);
    }
  });
});

describe('retention', () => {
  it('purges a tip finished long enough ago with every key of it, keeping only that it existed', async () => {
    const photo = await sanitisePhoto(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#abcdef' } }).jpeg().toBuffer());
    const origin = chat('7700000001');
    const done = await h.tips.submit(tip(), origin, [photo, photo]);
    const open = await h.tips.submit(tip(), chat());
    const recent = await h.tips.submit(tip(), web());
    await h.tips.addFromTipster(done.code, 'Bổ sung', origin);
    await h.tips.note(done.id, 'Đã xác minh xong', police);
    await h.tips.reply(done.id, 'Cảm ơn, vụ việc đã được xử lý', police);
    const links = await h.tips.deps.store.links(done.id);
    expect(links.map((l) => l.kind).sort()).toEqual(['delivery', 'job', 'job']);
    expect((await allKeys()).filter((k) => k.includes(done.id)).length).toBeGreaterThanOrEqual(8);

    await h.tips.change(done.id, { status: 'closed' }, police);
    h.clock.now = new Date(Date.parse(START) + 30 * DAY_MS - 1000);
    expect(await h.tips.purgeFinished(30)).toBe(0);
    await h.tips.change(recent.id, { status: 'spam' }, police);
    h.clock.now = new Date(Date.parse(START) + 30 * DAY_MS);
    expect(await h.tips.purgeFinished(30)).toBe(1);

    const { redis, prefix } = h.store;
    // Only the audit trail keeps that the tip existed: its index of the entries about the tip, and nothing else.
    expect((await allKeys()).filter((k) => k.includes(done.id))).toEqual([auditKeys(prefix).bySubject(`tip:${done.id}`)]);
    expect(await redis.zrange(`${prefix}:tips:index`, 0, -1)).toEqual(expect.not.arrayContaining([done.id]));
    expect(await redis.hvals(`${prefix}:tips:by-code`)).toEqual(expect.not.arrayContaining([done.id]));
    for (const { kind, ref } of links) {
      if (kind === 'job') expect(await h.tips.deps.queue.queue.getJob(ref), ref).toBeUndefined();
      else {
        expect(await h.outbox.payload(ref)).toBeUndefined();
        expect(await h.outbox.deliveries.get(ref)).toBeUndefined();
        expect(await h.outbox.queue('telegram').getJob(ref)).toBeUndefined();
      }
    }
    // A purged code is answered like any wrong code.
    const gone = await domainFailure(h.tips.view(done.code, origin));
    expect([gone.kind, gone.key, gone.params]).toEqual(['not-found', 'tips:errors.unknownCode', {}]);
    expect((await domainFailure(h.tips.read(done.id, police))).kind).toBe('not-found');
    expect((await domainFailure(h.tips.photo(done.id, 0, police))).kind).toBe('not-found');

    expect((await h.tips.list(police)).map((r) => r.id).sort()).toEqual([open.id, recent.id].sort());
    expect((await h.tips.view(open.code, chat())).status).toBe('new');
    expect((await h.tips.read(recent.id, police)).status).toBe('spam');

    const trail = (await h.audit.about(`tip:${done.id}`)).reverse();
    expect(trail.map((e) => e.action)).toEqual(['tip.purged', 'tip.changed', 'tip.replied', 'tip.noted', 'tip.tipster-message', 'tip.received']);
    expect(trail[0]).toMatchObject({ actor: 'retention', details: { category: 'trade', createdAt: START, closedAt: START } });

    h.clock.now = new Date(Date.parse(START) + 60 * DAY_MS);
    expect(await h.tips.purgeFinished(30)).toBe(1);
    expect(await h.tips.purgeFinished(30)).toBe(0);
    expect((await h.tips.list(police)).map((r) => r.id)).toEqual([open.id]);
  });
});
