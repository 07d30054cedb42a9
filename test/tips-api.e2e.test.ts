import { randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokens } from '../src/accounts/api-tokens.js';
import type { Role } from '../src/accounts/schemas.js';
import { UserStore } from '../src/accounts/user-store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { SandboxStore } from '../src/channels/sandbox/sandbox-store.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { createLogger } from '../src/platform/logger.js';
import { sanitisePhoto } from '../src/tips/photos.js';
import { canonicalReceiptCode } from '../src/tips/receipt-code.js';
import type { TipOrigin } from '../src/tips/schemas.js';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from './fakes/telegram-fake.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';
import { keysUnder, storedAt } from './support/stored.js';

/** The police's own chat for notices: the sandbox, which is not rate limited like a Telegram group. */
const POLICE_GROUP = 'group-cong-an-phuong';
const logLines: string[] = [];
let fake: TelegramFake;
let service: TestService;
let baseUrl: string;
let audit: AuditLog;
const token: Record<'police' | 'otherPolice' | 'staff' | 'approver' | 'admin', string> = { police: '', otherPolice: '', staff: '', approver: '', admin: '' };
const names = { police: 'cs.hung', otherPolice: 'cs.mai', staff: 'lan.staff', approver: 'minh.duyet', admin: 'quan.tri' } as const;
const OTHER_ROLES = ['staff', 'approver', 'admin'] as const;

beforeAll(async () => {
  fake = new TelegramFake();
  const apiRoot = await fake.start();
  // Every log line at every level is kept, so the test can show that no tip content or tipster id reaches them.
  service = await startTestService(
    { POLICE_CHAT: `sandbox:${POLICE_GROUP}`, TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'tg-webhook-secret_0123456789', TELEGRAM_API_ROOT: apiRoot },
    'serve',
    createLogger('trace', { write: (line: string) => void logLines.push(line) }),
  );
  baseUrl = `http://127.0.0.1:${service.http!.port}/api/v1`;
  const { redis, prefix } = service.datastore;
  audit = new AuditLog(redis, prefix);
  const users = new UserStore(redis, prefix, audit);
  const tokens = new ApiTokens(redis, prefix, new SealedBox(loadKeyring(service.config.secrets, silentLogger())), users, audit);
  const roles: Record<keyof typeof token, Role> = { police: 'police', otherPolice: 'police', staff: 'staff', approver: 'approver', admin: 'admin' };
  for (const [who, role] of Object.entries(roles) as Array<[keyof typeof token, Role]>) {
    await users.add({ username: names[who], displayName: names[who], role, password: 'một mật khẩu đủ dài' }, 'test');
    token[who] = await tokens.issue(names[who], 'test');
  }
});

afterAll(async () => {
  await service?.stop();
  await fake?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  bytes: Buffer;
}

async function api(method: string, path: string, options: { token?: string; body?: unknown; lang?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.lang) headers['accept-language'] = options.lang;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = res.headers.get('content-type')?.startsWith('application/json');
  return { status: res.status, headers: res.headers, bytes, body: json ? JSON.parse(bytes.toString('utf8')) : undefined };
}

const police = (method: string, path: string, body?: unknown) => api(method, path, { token: token.police, body, lang: 'en' });

/** A marker no other test writes, so each text can be found again (or shown to be absent) anywhere. */
const marker = () => `mk${randomBytes(5).toString('hex')}`;
const tipInput = (overrides: Record<string, unknown> = {}) => ({ category: 'trade', where: `ngõ 12 Lạch Tray ${marker()}`, when: `tối thứ bảy ${marker()}`, what: `Có người bán ma túy đá ở quán nước ${marker()}`, ...overrides });
/** A Telegram private chat, whose id is the person's own user id. */
const telegramChat = (): TipOrigin & { kind: 'chat' } => ({ kind: 'chat', platform: 'telegram', chatId: String(randomInt(1_000_000_000, 9_999_999_999)), locale: 'vi' });
const webOrigin = (): TipOrigin & { kind: 'web' } => ({ kind: 'web', address: `198.51.100.${randomInt(1, 254)}`, locale: 'vi' });

async function submitted<O extends TipOrigin = TipOrigin & { kind: 'chat' }>(input = tipInput(), origin: O = telegramChat() as O, photos: Buffer[] = []) {
  return { ...(await service.tips.submit(input, origin, photos)), input, origin };
}

describe('tips API: who may call', () => {
  it('lets only the police in: 401 without a token and 403 for staff, approvers and the admin on every route', async () => {
    const jpeg = await sanitisePhoto(await sharp({ create: { width: 16, height: 16, channels: 3, background: '#204060' } }).jpeg().toBuffer());
    const { id, origin } = await submitted(tipInput(), telegramChat(), [jpeg]);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/tips'],
      ['GET', '/tips?status=new&category=trade&from=2026-01-01&to=2099-12-31'],
      ['GET', `/tips/${id}`],
      ['GET', `/tips/${id}/photos/0`],
      ['POST', `/tips/${id}/claim`],
      ['POST', `/tips/${id}/status`, { status: 'closed' }],
      ['POST', `/tips/${id}/priority`, { priority: 'urgent' }],
      ['POST', `/tips/${id}/notes`, { text: 'Ghi chú của người không được phép' }],
      ['POST', `/tips/${id}/replies`, { text: 'Trả lời của người không được phép' }],
    ];
    const before = (await police('GET', `/tips/${id}`)).body;
    for (const [method, path, body] of routes) {
      const anonymous = await api(method, path, { body });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
      for (const role of OTHER_ROLES) {
        const answer = await api(method, path, { token: token[role], body, lang: 'en' });
        expect(answer.status, `${role} ${method} ${path}`).toBe(403);
        expect(answer.body).toEqual({ error: { code: 'forbidden', message: `Only the ward police work on tips; a user with the role ${role} may not.` } });
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      }
    }
    const vi = await api('GET', '/tips', { token: token.admin });
    expect(vi.body.error.message).toBe('Chỉ Công an phường xử lý tố giác; tài khoản có vai trò admin không được phép.');

    const after = (await police('GET', `/tips/${id}`)).body;
    expect(after).toEqual(before);
    expect(after).toMatchObject({ status: 'new', priority: 'normal', notes: [], thread: [] });
    expect(after.claimedBy).toBeUndefined();
    expect(fake.sent.filter((s) => s.chatId === origin.chatId)).toEqual([]);
    const refusedBy = new Set((await audit.latest(10_000)).map((e) => e.actor));
    for (const role of OTHER_ROLES) expect(refusedBy.has(names[role])).toBe(false);
  });
});

describe('tips API: the queue', () => {
  it('lists by priority then age and filters by status, category and dates', async () => {
    // A few milliseconds apart, so that each has a creation time of its own to sort and filter by.
    const a = await submitted(tipInput({ category: 'online' }));
    await sleep(5);
    const b = await submitted(tipInput({ category: 'online' }));
    await sleep(5);
    const c = await submitted(tipInput({ category: 'disguised' }));
    expect((await police('POST', `/tips/${c.id}/priority`, { priority: 'urgent' })).body).toMatchObject({ id: c.id, priority: 'urgent' });
    expect((await police('POST', `/tips/${b.id}/status`, { status: 'triaged' })).body).toMatchObject({ id: b.id, status: 'triaged' });

    const ids = async (query = '') => {
      const answer = await police('GET', `/tips${query}`);
      expect(answer.status, query).toBe(200);
      return (answer.body.tips as Array<{ id: string }>).map((t) => t.id).filter((id) => [a.id, b.id, c.id].includes(id));
    };
    expect(await ids()).toEqual([c.id, a.id, b.id]);
    expect(await ids('?category=online')).toEqual([a.id, b.id]);
    expect(await ids('?status=triaged')).toEqual([b.id]);
    expect(await ids('?status=new&category=online')).toEqual([a.id]);

    // Dates are whole days on the ward's clock; instants are taken as given.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: service.config.timeZone }).format(new Date());
    const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    expect(await ids(`?from=${today}&to=${today}`)).toEqual([c.id, a.id, b.id]);
    expect(await ids(`?from=${day(1)}`)).toEqual([]);
    expect(await ids(`?to=${day(-1)}`)).toEqual([]);
    const createdA = (await police('GET', `/tips/${a.id}`)).body.createdAt as string;
    const createdC = (await police('GET', `/tips/${c.id}`)).body.createdAt as string;
    expect(await ids(`?from=${encodeURIComponent(createdC)}`)).toEqual([c.id]);
    expect(await ids(`?to=${encodeURIComponent(createdA)}`)).toEqual([a.id]);
    const hanoi = new Date(Date.parse(createdC) + 7 * 3600_000).toISOString().replace('Z', '+07:00');
    expect(await ids(`?from=${encodeURIComponent(hanoi)}`)).toEqual([c.id]);

    const listed = (await police('GET', '/tips')).body.tips.find((t: { id: string }) => t.id === a.id);
    expect(listed).toEqual({ id: a.id, category: 'online', status: 'new', priority: 'normal', source: 'chat', photos: 0, messages: 0, createdAt: createdA, updatedAt: createdA });
  });

  it('answers 400 naming the field for a bad filter', async () => {
    const cases: Array<[string, string]> = [
      ['?status=open', 'status'],
      ['?category=weapons', 'category'],
      ['?from=tomorrow', 'from'],
      ['?from=2026-02-30', 'from'],
      ['?to=2026-13-01', 'to'],
      ['?to=1%2F6%2F2026', 'to'],
    ];
    for (const [query, field] of cases) {
      const answer = await police('GET', `/tips${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error, query).toEqual({ code: 'bad-request', message: 'The request is not valid; fix these and try again:', problems: [{ field, message: expect.any(String) }] });
    }
    expect((await police('GET', '/tips?from=tomorrow')).body.error.problems[0].message).toBe('Invalid ISO date');
  });
});

describe('tips API: one tip', () => {
  it('reads a tip decrypted, with its thread and notes, and nothing of its sender', async () => {
    const { id, code, input, origin } = await submitted();
    await service.tips.addFromTipster(code, 'Bổ sung: có xe máy biển 15B1', origin);
    expect((await police('POST', `/tips/${id}/notes`, { text: '  Đã chuyển tổ trinh sát  ' })).status).toBe(204);

    const answer = await police('GET', `/tips/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toMatchObject({ id, category: 'trade', status: 'new', source: 'chat', messages: 1, content: input });
    expect(answer.body.thread).toEqual([{ from: 'tipster', at: expect.any(String), text: 'Bổ sung: có xe máy biển 15B1' }]);
    expect(answer.body.notes).toEqual([{ author: names.police, at: expect.any(String), text: 'Đã chuyển tổ trinh sát' }]);
    const text = JSON.stringify(answer.body);
    for (const secret of [origin.chatId, code, canonicalReceiptCode(code)!, 'codeHash']) expect(text).not.toContain(secret);
  });

  it('answers 404 for an unknown tip and 400 for something that is not a tip id', async () => {
    for (const [method, path, body] of [
      ['GET', '/tips/t-0000000000'],
      ['GET', '/tips/t-0000000000/photos/0'],
      ['POST', '/tips/t-0000000000/claim'],
      ['POST', '/tips/t-0000000000/status', { status: 'closed' }],
      ['POST', '/tips/t-0000000000/priority', { priority: 'low' }],
      ['POST', '/tips/t-0000000000/notes', { text: 'ghi chú' }],
      ['POST', '/tips/t-0000000000/replies', { text: 'trả lời' }],
    ] as Array<[string, string, unknown?]>) {
      const answer = await police(method, path, body);
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe('not-found');
    }
    expect((await police('GET', '/tips/t-0000000000')).body.error.message).toBe('There is no tip t-0000000000.');
    for (const path of ['/tips/Not%20A%20Tip', '/tips/b-3f9a2c71d0', '/tips/t-0000000000%3Ax/photos/0']) {
      const answer = await police('GET', path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.error.problems.map((p: { field: string }) => p.field)).toEqual(['id']);
    }
  });

  it('serves a photo without its metadata, never to be cached', async () => {
    const withGps = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#806040' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'Serial-A1B2C3', Copyright: 'Nguyen Van A' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '20/1 51/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '106/1 41/1 0/1' } })
      .toBuffer();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    const clean = await sanitisePhoto(withGps);
    const { id } = await submitted(tipInput(), webOrigin(), [clean]);

    const photo = await police('GET', `/tips/${id}/photos/0`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(photo.headers.get('cache-control')).toBe('no-store');
    expect(photo.bytes.equals(clean)).toBe(true);
    const metadata = await sharp(photo.bytes).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    expect([metadata.exif, metadata.xmp, metadata.iptc, metadata.icc]).toEqual([undefined, undefined, undefined, undefined]);
    expect(photo.bytes.includes(Buffer.from('Serial-A1B2C3'))).toBe(false);
    expect((await police('GET', `/tips/${id}`)).body.photos).toBe(1);

    const missing = await police('GET', `/tips/${id}/photos/1`);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not-found', message: `Tip ${id} has no photo 1.` } } });
    for (const n of ['x', '-1', '3', '1.5']) {
      const bad = await police('GET', `/tips/${id}/photos/${n}`);
      expect(bad.status, n).toBe(400);
      expect(bad.body.error.problems.map((p: { field: string }) => p.field), n).toEqual(['n']);
    }
    const trail = await audit.latest(10_000);
    expect(trail.filter((e) => e.action === 'tip.photo-viewed' && e.subject === `tip:${id}`)).toEqual([expect.objectContaining({ actor: names.police, details: { photo: 0 } })]);
  });

  it('claims, changes status and priority, and checks each body', async () => {
    const { id } = await submitted();
    const { id: original } = await submitted();
    const claimed = await police('POST', `/tips/${id}/claim`);
    expect(claimed.body).toMatchObject({ id, claimedBy: names.police, firstActionAt: expect.any(String) });
    const reclaimed = await api('POST', `/tips/${id}/claim`, { token: token.otherPolice });
    expect(reclaimed.body).toMatchObject({ claimedBy: names.otherPolice, firstActionAt: claimed.body.firstActionAt });

    const closed = await police('POST', `/tips/${id}/status`, { status: 'closed' });
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String), firstActionAt: claimed.body.firstActionAt });
    const reopened = await police('POST', `/tips/${id}/status`, { status: 'in-progress' });
    expect(reopened.body.closedAt).toBeUndefined();

    const noOriginal = await police('POST', `/tips/${id}/status`, { status: 'duplicate' });
    expect(noOriginal).toMatchObject({ status: 422, body: { error: { code: 'invalid', problems: [{ field: 'duplicateOf', message: expect.stringMatching(/^Mark a tip as a duplicate together with the other tip/) }] } } });
    expect((await police('POST', `/tips/${id}/status`, { status: 'duplicate', duplicateOf: id })).status).toBe(422);
    expect((await police('POST', `/tips/${id}/status`, { status: 'closed', duplicateOf: original })).status).toBe(422);
    expect((await police('POST', `/tips/${id}/status`, { status: 'duplicate', duplicateOf: 't-0000000000' })).status).toBe(404);
    const merged = await police('POST', `/tips/${id}/status`, { status: 'duplicate', duplicateOf: original });
    expect(merged.body).toMatchObject({ status: 'duplicate', duplicateOf: original, closedAt: expect.any(String) });
    expect((await police('POST', `/tips/${id}/priority`, { priority: 'high' })).body).toMatchObject({ priority: 'high', status: 'duplicate' });

    const badBodies: Array<[string, unknown, string]> = [
      ['status', { status: 'done' }, 'status'],
      ['status', {}, 'status'],
      ['status', { status: 'duplicate', duplicateOf: 'nope' }, 'duplicateOf'],
      ['status', { status: 'closed', priority: 'low' }, 'body'],
      ['status', undefined, 'body'],
      ['priority', { priority: 'critical' }, 'priority'],
      ['priority', { priority: 'low', status: 'closed' }, 'body'],
      ['notes', { text: 42 }, 'text'],
      ['notes', { note: 'ghi chú' }, 'text'],
      ['replies', ['trả lời'], 'body'],
    ];
    for (const [route, body, field] of badBodies) {
      const answer = await police('POST', `/tips/${id}/${route}`, body);
      expect(answer.status, `${route} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.error.code).toBe('bad-request');
      expect(answer.body.error.problems.map((p: { field: string }) => p.field), `${route} ${JSON.stringify(body)}`).toContain(field);
    }
    for (const route of ['notes', 'replies']) {
      for (const text of ['', '   ', 'x'.repeat(4001)]) {
        const answer = await police('POST', `/tips/${id}/${route}`, { text });
        expect(answer, route).toMatchObject({ status: 422, body: { error: { code: 'invalid', problems: [{ field: 'text', message: 'Write between 1 and 4000 characters.' }] } } });
      }
    }
    const read = (await police('GET', `/tips/${id}`)).body;
    expect([read.notes, read.thread, read.status, read.priority]).toEqual([[], [], 'duplicate', 'high']);
    const trail = (await audit.latest(10_000)).filter((e) => e.subject === `tip:${id}`).map((e) => `${e.actor} ${e.action}`);
    expect(trail.reverse()).toEqual([
      'tipster tip.received',
      `${names.police} tip.claimed`,
      `${names.otherPolice} tip.claimed`,
      `${names.police} tip.changed`,
      `${names.police} tip.changed`,
      `${names.police} tip.changed`,
      `${names.police} tip.changed`,
      `${names.police} tip.read`,
    ]);
  });

  it('replies to the tipster in their chat, or behind the code alone for a web tip', async () => {
    const { id, code, origin } = await submitted();
    const answer = await police('POST', `/tips/${id}/replies`, { text: 'Cảm ơn bạn, công an phường đã tiếp nhận.' });
    expect(answer).toMatchObject({ status: 200, body: { deliveredToChat: true } });
    await expect.poll(() => fake.sent.filter((s) => s.chatId === origin.chatId).map((s) => s.text), { timeout: 5_000 }).toEqual([
      'Công an phường đã trả lời tố giác của bạn:\n\nCảm ơn bạn, công an phường đã tiếp nhận.\n\nĐể xem toàn bộ và trả lời, hãy gửi /ma kèm mã biên nhận của bạn.',
    ]);
    expect((await service.tips.view(code, telegramChat())).thread).toMatchObject([{ from: 'police', text: 'Cảm ơn bạn, công an phường đã tiếp nhận.' }]);

    const fromWeb = await submitted(tipInput(), webOrigin());
    expect((await police('POST', `/tips/${fromWeb.id}/replies`, { text: 'Cảm ơn bạn.' })).body).toEqual({ deliveredToChat: false });
    expect((await service.tips.view(fromWeb.code, webOrigin())).thread).toMatchObject([{ from: 'police', text: 'Cảm ơn bạn.' }]);
    // Only the police's own notices went out for it: nothing was addressed to its sender.
    const outgoing = (await service.tips.deps.store.links(fromWeb.id)).filter((l) => l.kind === 'delivery').map((l) => l.ref);
    expect(outgoing.filter((ref) => !ref.startsWith('tip-notice.'))).toEqual([]);
  });
});

describe('tips: anonymity at rest and in the logs', () => {
  it('keeps no tip text, note, reply, chat id or receipt code in clear anywhere in Redis or in any log line', { timeout: 30_000 }, async () => {
    const secrets: string[] = [];
    const keep = (...values: string[]) => {
      secrets.push(...values);
      return values[0]!;
    };
    const reachable = telegramChat();
    // A tipster who blocked the bot before the police answered: the failed send must not leave their chat id behind.
    const blocked = telegramChat();
    fake.setChatState(blocked.chatId, 'blocked');
    // Zalo is not configured here, so the reply to this one waits in its queue, as it would during an outage.
    const waiting: TipOrigin = { kind: 'chat', platform: 'zalo', chatId: `${randomInt(1e9, 1e10)}${randomInt(1e8, 1e9)}`, locale: 'vi' };
    const tipsters: TipOrigin[] = [reachable, blocked, waiting, webOrigin()];
    const sent: Array<{ id: string; code: string; origin: TipOrigin }> = [];
    for (const origin of tipsters) {
      keep(origin.kind === 'chat' ? origin.chatId : origin.address);
      const input = tipInput();
      keep(input.what, input.where, input.when);
      const jpeg = await sanitisePhoto(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#102030' } }).jpeg().toBuffer());
      const { id, code } = await service.tips.submit(input, origin, [jpeg]);
      keep(code, canonicalReceiptCode(code)!);
      sent.push({ id, code, origin });
    }
    for (const { id, code, origin } of sent) {
      await service.tips.addFromTipster(code, keep(`Người gửi bổ sung thêm ${marker()}`), origin);
      await service.tips.view(code.toLowerCase(), origin);
      await expect(service.tips.view('ABCD-EFGH-JKMN-PQRS', origin)).rejects.toMatchObject({ kind: 'not-found' });
      expect((await police('POST', `/tips/${id}/notes`, { text: keep(`Ghi chú nghiệp vụ ${marker()}`) })).status).toBe(204);
      expect((await police('POST', `/tips/${id}/replies`, { text: keep(`Công an phường trả lời ${marker()}`) })).status).toBe(200);
      expect((await police('GET', `/tips/${id}`)).status).toBe(200);
      expect((await police('GET', `/tips/${id}/photos/0`)).status).toBe(200);
      expect((await police('POST', `/tips/${id}/status`, { status: 'triaged' })).status).toBe(200);
    }
    // Wait until every delivery has run its course: the reply to the open chat sent, the blocked one refused, each
    // police notice (a new tip and a tipster message, for each of four tips) out.
    await expect.poll(() => fake.sent.filter((s) => s.chatId === reachable.chatId).length, { timeout: 10_000 }).toBe(1);
    const sandbox = new SandboxStore(service.datastore.redis, service.datastore.prefix);
    const notices = async () => (await sandbox.transcript(POLICE_GROUP)).filter((e) => sent.some((t) => e.text.includes(t.id)));
    await expect.poll(async () => (await notices()).length, { timeout: 10_000 }).toBe(8);
    await expect.poll(async () => (await service.channels.chatStatus.unreachableReason('telegram', blocked.chatId)) ?? 'reachable', { timeout: 10_000 }).toBe('blocked');
    expect(secrets.length).toBe(4 * 9);

    const { redis, prefix } = service.datastore;
    const keys = await keysUnder(redis, prefix);
    const types = new Set<string>();
    const leaks: string[] = [];
    for (const key of keys) {
      const { type, text } = await storedAt(redis, key);
      types.add(type);
      const haystack = text.toLowerCase();
      for (const secret of secrets) if (haystack.includes(secret.toLowerCase())) leaks.push(`${key} (${type}) holds “${secret}”`);
    }
    expect(leaks).toEqual([]);
    // The scan saw the tips' own records, BullMQ's queues and the audit stream, in every shape Redis stores.
    expect(keys.filter((k) => k.startsWith(`${prefix}:q:tips:`)).length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.startsWith(`${prefix}:q:outbound-telegram:`)).length).toBeGreaterThan(0);
    expect(keys.filter((k) => sent.some((t) => k.includes(t.id))).length).toBeGreaterThanOrEqual(4 * 7);
    expect([...types].sort()).toEqual(expect.arrayContaining(['hash', 'list', 'set', 'stream', 'string', 'zset']));

    expect(logLines.length).toBeGreaterThan(0);
    const loggedLeaks = logLines.flatMap((line) => secrets.filter((s) => line.toLowerCase().includes(s.toLowerCase())).map((s) => `“${s}” in ${line}`));
    expect(loggedLeaks).toEqual([]);
  });
});
