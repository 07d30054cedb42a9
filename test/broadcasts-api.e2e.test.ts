import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiTokens } from '../src/accounts/api-tokens.js';
import type { Role } from '../src/accounts/schemas.js';
import { UserStore } from '../src/accounts/user-store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import type { Schedule } from '../src/broadcasts/schemas.js';
import type { Group } from '../src/groups/schemas.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { createLogger } from '../src/platform/logger.js';
import { runCli, RUNS_CLI } from './support/cli.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';

const logLines: string[] = [];
let service: TestService;
let baseUrl: string;
let users: UserStore;
let tokens: ApiTokens;
let audit: AuditLog;
let group: Group;
/** Every token handed out in this file, for the check that none was logged. */
const issued: string[] = [];
const token: Record<'staff' | 'approver' | 'otherApprover' | 'police' | 'admin', string> = { staff: '', approver: '', otherApprover: '', police: '', admin: '' };
const names = { staff: 'lan.staff', approver: 'minh.duyet', otherApprover: 'hoa.duyet', police: 'cs.hung', admin: 'quan.tri' } as const;

async function userWithToken(username: string, role: Role): Promise<string> {
  await users.add({ username, displayName: username, role, password: 'một mật khẩu đủ dài' }, 'test');
  const value = await tokens.issue(username, 'test');
  issued.push(value);
  return value;
}

const uniqueName = (stem: string) => `${stem}-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  // Every log line is kept, so the test can show that no token ever reaches the logs.
  service = await startTestService({}, 'serve', createLogger('trace', { write: (line: string) => void logLines.push(line) }));
  baseUrl = `http://127.0.0.1:${service.http!.port}/api/v1`;
  const { redis, prefix } = service.datastore;
  audit = new AuditLog(redis, prefix);
  users = new UserStore(redis, prefix, audit);
  tokens = new ApiTokens(redis, prefix, new SealedBox(loadKeyring(service.config.secrets, silentLogger())), users, audit);
  token.staff = await userWithToken(names.staff, 'staff');
  token.approver = await userWithToken(names.approver, 'approver');
  token.otherApprover = await userWithToken(names.otherApprover, 'approver');
  token.police = await userWithToken(names.police, 'police');
  token.admin = await userWithToken(names.admin, 'admin');
  group = await service.groups.register({ platform: 'sandbox', chatId: 'group-tdp-5', name: 'Tổ dân phố 5', tags: ['tdp-5'] }, 'test');
  await service.groups.approve(group.id, 'test');
});

afterAll(async () => {
  await service?.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function api(method: string, path: string, options: { token?: string; body?: unknown; raw?: string; lang?: string; authorization?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  if (authorization) headers.authorization = authorization;
  if (options.lang) headers['accept-language'] = options.lang;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const NEXT_YEAR = new Date().getFullYear() + 1;
const AT = `${NEXT_YEAR}-03-10 09:00`;
/** 09:00 in Hanoi, which keeps UTC+7 all year. */
const AT_ISO = `${NEXT_YEAR}-03-10T02:00:00.000Z`;
const MESSAGE = { kind: 'message', campaign: '2026-thang-hanh-dong', message: 'nhac-to-giac-hang-tuan' } as const;

function draft(overrides: Record<string, unknown> = {}) {
  return { title: 'Nhắc tố giác đầu tuần', timing: { kind: 'once', at: AT }, target: { kind: 'all' }, content: MESSAGE, ...overrides };
}

async function created(by: string = token.staff, overrides: Record<string, unknown> = {}): Promise<Schedule> {
  const answer = await api('POST', '/broadcasts', { token: by, body: draft(overrides) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as Schedule;
}

async function approved(by: string = token.staff): Promise<Schedule> {
  const schedule = await created(by);
  expect((await api('POST', `/broadcasts/${schedule.id}/approve`, { token: token.otherApprover })).status).toBe(200);
  return schedule;
}

const ids = async (by = token.staff) => ((await api('GET', '/broadcasts', { token: by })).body.broadcasts as Schedule[]).map((s) => s.id).sort();

describe('broadcasts API: who may call', () => {
  it('answers 401 with a Bearer challenge without a token, with a bad one and for a disabled user', async () => {
    const missing = await api('GET', '/broadcasts');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="loaphuong"');
    expect(missing.body).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('Authorization: Bearer') } });

    const unknown = `lp_${randomBytes(32).toString('base64url')}`;
    for (const authorization of ['Basic bGFuOnB3', 'Bearer', 'Bearer nonsense', `Bearer ${unknown}`, `Bearer ${token.staff.slice(0, -2)}`, token.staff]) {
      const bad = await api('GET', '/broadcasts', { authorization });
      expect(bad.status, authorization).toBe(401);
      expect(bad.headers.get('www-authenticate')).toBe('Bearer realm="loaphuong", error="invalid_token"');
      expect(bad.body.error.code).toBe('unauthenticated');
    }
    expect((await api('GET', '/broadcasts', { authorization: `bearer ${token.staff}` })).status).toBe(200);

    const name = uniqueName('tam');
    const own = await userWithToken(name, 'staff');
    expect((await api('GET', '/broadcasts', { token: own })).status).toBe(200);
    await users.disable(name, 'test');
    expect((await api('GET', '/broadcasts', { token: own })).status).toBe(401);
  });

  it('checks the token before routing or reading the body', async () => {
    expect((await api('GET', '/nowhere')).status).toBe(401);
    expect((await api('POST', '/broadcasts', { raw: '{"title":' })).status).toBe(401);
    const nowhere = await api('GET', '/nowhere', { token: token.staff, lang: 'en' });
    expect(nowhere).toMatchObject({ status: 404, body: { error: { code: 'not-found', message: 'There is no such API endpoint.' } } });
    expect(nowhere.headers.get('cache-control')).toBe('no-store');
  });

  it('gives police 403 on every broadcast route', async () => {
    const schedule = await approved();
    const occurrence = await service.broadcasts.fanOut(schedule.id, new Date(AT_ISO));
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/broadcasts'],
      ['GET', '/broadcasts?status=draft'],
      ['POST', '/broadcasts', draft()],
      ['GET', `/broadcasts/${schedule.id}`],
      ['POST', `/broadcasts/${schedule.id}/approve`],
      ['POST', `/broadcasts/${schedule.id}/pause`],
      ['POST', `/broadcasts/${schedule.id}/resume`],
      ['POST', `/broadcasts/${schedule.id}/cancel`],
      ['GET', `/broadcasts/${schedule.id}/preview`],
      ['GET', `/broadcasts/${schedule.id}/dry-run`],
      ['GET', `/broadcasts/occurrences/${occurrence.id}/deliveries`],
      ['POST', `/broadcasts/occurrences/${occurrence.id}/retry`, {}],
      ['POST', '/broadcasts/import-calendar', { campaign: '2026-thang-hanh-dong', target: { kind: 'all' } }],
    ];
    const before = await ids();
    for (const [method, path, body] of routes) {
      const answer = await api(method, path, { token: token.police, body, lang: 'en' });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.error, `${method} ${path}`).toEqual({ code: 'forbidden', message: expect.stringMatching(/^A user with the role police may not (read|change|approve) broadcasts\.$/) });
    }
    expect(await ids()).toEqual(before);
  });
});

describe('broadcasts API: creating', () => {
  it('creates a one-off draft with 201 and finds it again', async () => {
    const answer = await api('POST', '/broadcasts', { token: token.staff, body: draft() });
    expect(answer.status).toBe(201);
    const schedule = answer.body as Schedule;
    expect(schedule).toMatchObject({
      title: 'Nhắc tố giác đầu tuần',
      timing: { kind: 'once', at: AT_ISO },
      target: { kind: 'all' },
      content: MESSAGE,
      urgent: false,
      status: 'draft',
      createdBy: names.staff,
    });
    expect(answer.headers.get('location')).toBe(`/api/v1/broadcasts/${schedule.id}`);

    const status = await api('GET', `/broadcasts/${schedule.id}`, { token: token.approver });
    expect(status.body).toEqual({ schedule, next: [AT_ISO], occurrences: [] });
    expect(await ids()).toContain(schedule.id);
    const drafts = await api('GET', '/broadcasts?status=draft', { token: token.staff });
    expect(drafts.body.broadcasts.map((s: Schedule) => s.id)).toContain(schedule.id);
    expect(drafts.body.broadcasts.every((s: Schedule) => s.status === 'draft')).toBe(true);
    const finished = await api('GET', '/broadcasts?status=finished', { token: token.staff });
    expect(finished.body.broadcasts.map((s: Schedule) => s.id)).not.toContain(schedule.id);
  });

  it('answers 422 with a precise problem for each bad input and stores nothing', async () => {
    const before = await ids();
    const past = `${NEXT_YEAR - 2}-03-10 09:00`;
    const late = `${NEXT_YEAR}-03-10 22:30`;
    const cases: Array<[string, Record<string, unknown>, Array<{ field: string; message: string }>]> = [
      ['past time', { timing: { kind: 'once', at: past } }, [{ field: 'timing.at', message: `${past} has already passed.` }]],
      ['unreadable time', { timing: { kind: 'once', at: '10/3 9h' } }, [{ field: 'timing.at', message: '“10/3 9h” is not a time; write it as 2026-06-26 07:00 (ward time) or as an ISO time with its offset.' }]],
      [
        'cron with four fields',
        { timing: { kind: 'cron', pattern: '0 7 * *' } },
        [{ field: 'timing.pattern', message: '“0 7 * *” must have five fields: minute hour day-of-month month day-of-week (e.g. 0 7 * * 1).' }],
      ],
      ['cron syntax', { timing: { kind: 'cron', pattern: '0 7 * * someday' } }, [{ field: 'timing.pattern', message: '“0 7 * * someday” is not a valid cron pattern.' }]],
      [
        'quiet hours',
        { timing: { kind: 'once', at: late } },
        [{ field: 'timing.at', message: `${late} is in the quiet hours (21:00–06:30); pick another time or mark the broadcast urgent.` }],
      ],
      [
        'unknown message',
        { content: { kind: 'message', campaign: '2026-thang-hanh-dong', message: 'khong-co-tin-nay' } },
        [{ field: 'content.message', message: 'Campaign 2026-thang-hanh-dong has no message khong-co-tin-nay.' }],
      ],
      ['empty target', { target: { kind: 'tags', tags: ['khong-co-nhom'] } }, [{ field: 'target', message: 'No approved group matches this target, so nobody would receive it.' }]],
      [
        'text too long',
        { content: { kind: 'text', text: { vi: 'x'.repeat(2001) } } },
        // Without an English text the Vietnamese one goes to English readers too, so both are too long.
        [
          { field: 'content.text.vi', message: 'The text is 2001 characters; sandbox allows 2000 in one message.' },
          { field: 'content.text.en', message: 'The text is 2001 characters; sandbox allows 2000 in one message.' },
        ],
      ],
      ['missing title', { title: undefined }, [{ field: 'title', message: expect.any(String) }]],
    ];
    for (const [what, overrides, problems] of cases) {
      const answer = await api('POST', '/broadcasts', { token: token.staff, body: draft(overrides), lang: 'en' });
      expect(answer.status, what).toBe(422);
      expect(answer.body, what).toEqual({ error: { code: 'invalid', message: 'The broadcast was not saved; fix these and try again:', problems } });
    }
    const notAnObject = await api('POST', '/broadcasts', { token: token.staff, body: [draft()], lang: 'en' });
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.error).toMatchObject({ code: 'bad-request', problems: [{ field: 'body', message: expect.any(String) }] });
    expect(await ids()).toEqual(before);
  });

  it('refuses malformed, oversized and misdeclared bodies', async () => {
    const malformed = await api('POST', '/broadcasts', { token: token.staff, raw: '{"title": "Nhắc",', lang: 'en' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'malformed-json', message: 'The request body is not valid JSON.' } } });
    const large = await api('POST', '/broadcasts', { token: token.staff, body: draft({ title: 'x'.repeat(70_000) }), lang: 'en' });
    expect(large).toMatchObject({ status: 413, body: { error: { code: 'too-large', message: 'The request body is too large; at most 65536 bytes are accepted.' } } });
    const text = await fetch(`${baseUrl}/broadcasts`, { method: 'POST', headers: { authorization: `Bearer ${token.staff}`, 'content-type': 'text/plain' }, body: JSON.stringify(draft()) });
    expect(text.status).toBe(400);
    expect(((await text.json()) as Answer['body']).error.problems).toEqual([{ field: 'body', message: expect.any(String) }]);
    const badStatus = await api('GET', '/broadcasts?status=sent', { token: token.staff, lang: 'en' });
    expect(badStatus.body).toEqual({
      error: { code: 'bad-request', message: 'The request is not valid; fix these and try again:', problems: [{ field: 'status', message: expect.stringContaining('"draft"') }] },
    });
  });
});

describe('broadcasts API: the life of a schedule', () => {
  it('needs an approver other than the author to approve', async () => {
    const schedule = await created(token.approver);
    const own = await api('POST', `/broadcasts/${schedule.id}/approve`, { token: token.approver, lang: 'en' });
    expect(own).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: `Broadcast ${schedule.id} was written by you; another approver must approve it.` } } });
    const byStaff = await api('POST', `/broadcasts/${schedule.id}/approve`, { token: token.staff, lang: 'en' });
    expect(byStaff.body.error.message).toBe('A user with the role staff may not approve broadcasts.');
    const byAdmin = await api('POST', `/broadcasts/${schedule.id}/approve`, { token: token.admin });
    expect(byAdmin.status).toBe(403);

    const ok = await api('POST', `/broadcasts/${schedule.id}/approve`, { token: token.otherApprover });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: schedule.id, status: 'approved', approvedBy: names.otherApprover });
    expect((await api('GET', `/broadcasts/${schedule.id}`, { token: token.staff })).body.schedule.status).toBe('approved');
    const again = await api('POST', `/broadcasts/${schedule.id}/approve`, { token: token.otherApprover });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });

  it('pauses, resumes and cancels, refusing a wrong transition with 409', async () => {
    const schedule = await created();
    const draftPause = await api('POST', `/broadcasts/${schedule.id}/pause`, { token: token.staff, lang: 'en' });
    expect(draftPause).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: `Broadcast ${schedule.id} is draft, so it cannot be given “pause”.` } } });

    await api('POST', `/broadcasts/${schedule.id}/approve`, { token: token.otherApprover });
    const steps: Array<[string, number, string]> = [
      ['pause', 200, 'paused'],
      ['pause', 409, 'paused'],
      ['resume', 200, 'approved'],
      ['cancel', 200, 'cancelled'],
      ['resume', 409, 'cancelled'],
      ['cancel', 409, 'cancelled'],
    ];
    for (const [action, status, after] of steps) {
      const answer = await api('POST', `/broadcasts/${schedule.id}/${action}`, { token: token.staff });
      expect(answer.status, action).toBe(status);
      if (status === 200) expect(answer.body.status).toBe(after);
      expect((await api('GET', `/broadcasts/${schedule.id}`, { token: token.staff })).body.schedule.status, action).toBe(after);
    }
    expect((await api('GET', `/broadcasts/${schedule.id}`, { token: token.staff })).body.next).toEqual([]);
    expect((await api('POST', '/broadcasts/b-0000000000/cancel', { token: token.staff })).status).toBe(404);
  });

  it('previews the exact texts and dry-runs an occurrence without sending', async () => {
    const schedule = await created();
    const preview = await api('GET', `/broadcasts/${schedule.id}/preview`, { token: token.staff });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      texts: [
        { item: MESSAGE.message, locale: 'vi', platform: 'sandbox', parts: [expect.stringContaining('Nhắc nhẹ đầu tuần')] },
        { item: MESSAGE.message, locale: 'en', platform: 'sandbox', parts: [expect.stringContaining('A gentle start-of-week reminder')] },
      ],
    });

    const next = await api('GET', `/broadcasts/${schedule.id}/dry-run`, { token: token.staff });
    expect(next.body).toEqual({ at: AT_ISO, rows: [{ groupId: group.id, name: 'Tổ dân phố 5', platform: 'sandbox', item: MESSAGE.message }] });
    const quiet = await api('GET', `/broadcasts/${schedule.id}/dry-run?at=${encodeURIComponent(`${NEXT_YEAR}-03-10 22:30`)}`, { token: token.staff });
    expect(quiet.body).toMatchObject({ at: `${NEXT_YEAR}-03-10T15:30:00.000Z`, skip: 'quiet-hours' });

    const unreadable = await api('GET', `/broadcasts/${schedule.id}/dry-run?at=tomorrow`, { token: token.staff, lang: 'en' });
    expect(unreadable).toMatchObject({
      status: 400,
      body: { error: { code: 'bad-request', problems: [{ field: 'at', message: '“tomorrow” is not a time; write it as 2026-06-26 07:00 (ward time) or as an ISO time with its offset.' }] } },
    });
    expect((await api('GET', '/broadcasts/Not%20An%20Id/preview', { token: token.staff })).body.error).toMatchObject({ code: 'bad-request', problems: [{ field: 'id' }] });
    expect((await api('GET', '/broadcasts/b-0000000000/dry-run', { token: token.staff })).status).toBe(404);
    expect((await api('GET', `/broadcasts/${schedule.id}`, { token: token.staff })).body.occurrences).toEqual([]);
  });

  it('reports the deliveries of an occurrence and retries only what failed', async () => {
    const schedule = await approved();
    const occurrence = await service.broadcasts.fanOut(schedule.id, new Date(AT_ISO));
    let rows: any[] = [];
    for (let i = 0; i < 100 && rows[0]?.status !== 'sent'; i++) {
      if (i > 0) await sleep(50);
      const answer = await api('GET', `/broadcasts/occurrences/${occurrence.id}/deliveries`, { token: token.staff });
      expect(answer.status).toBe(200);
      rows = answer.body.deliveries;
    }
    expect(rows).toEqual([{ groupId: group.id, item: MESSAGE.message, deliveryId: `${occurrence.id}.${group.id}`, status: 'sent', messageIds: expect.any(String) }]);

    expect((await api('POST', `/broadcasts/occurrences/${occurrence.id}/retry`, { token: token.staff })).body).toEqual({ retried: 0 });
    expect((await api('POST', `/broadcasts/occurrences/${occurrence.id}/retry`, { token: token.staff, body: { group: group.id } })).body).toEqual({ retried: 0 });
    const badGroup = await api('POST', `/broadcasts/occurrences/${occurrence.id}/retry`, { token: token.staff, body: { group: 5 } });
    expect(badGroup.body.error).toMatchObject({ code: 'bad-request', problems: [{ field: 'group' }] });
    const extra = await api('POST', `/broadcasts/occurrences/${occurrence.id}/retry`, { token: token.staff, body: { groups: [group.id] } });
    expect(extra.body.error).toMatchObject({ code: 'bad-request', problems: [{ field: 'body', message: expect.stringContaining('groups') }] });
    expect((await api('GET', '/broadcasts/occurrences/nope/deliveries', { token: token.staff })).status).toBe(404);

    const status = await api('GET', `/broadcasts/${schedule.id}`, { token: token.staff });
    expect(status.body.schedule.status).toBe('finished');
    expect(status.body.occurrences).toMatchObject([{ id: occurrence.id, status: 'done', summary: { targeted: 1, sent: 1, failed: 0 } }]);
  });

  it('imports a campaign calendar, leaving out what has passed', async () => {
    const imported = await api('POST', '/broadcasts/import-calendar', { token: token.staff, body: { campaign: '2026-thang-hanh-dong', target: { kind: 'tags', tags: ['tdp-5'] } } });
    expect(imported.status).toBe(200);
    // The campaign ran in June 2026: every entry of it is in the past now.
    expect(imported.body).toEqual({ created: [], existing: [], past: expect.any(Number), rejected: [] });
    expect(imported.body.past).toBeGreaterThan(30);

    const unknown = await api('POST', '/broadcasts/import-calendar', { token: token.staff, body: { campaign: 'khong-co', target: { kind: 'all' } }, lang: 'en' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not-found', message: 'There is no campaign khong-co in the content library.' } } });
    const bad = await api('POST', '/broadcasts/import-calendar', { token: token.staff, body: { campaign: 'Không Có' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems.map((p: { field: string }) => p.field).sort()).toEqual(['campaign', 'target']);
  });
});

describe('broadcasts API: language and secrecy', () => {
  it('words errors in English when asked, otherwise in the ward language', async () => {
    const path = '/broadcasts/b-0000000000';
    const en = 'There is no broadcast b-0000000000.';
    const vi = 'Không có bản tin b-0000000000.';
    for (const [lang, message] of [['en', en], ['en-GB,en;q=0.9', en], ['vi', vi], ['fr', vi], [undefined, vi]] as const) {
      const answer = await api('GET', path, { token: token.staff, ...(lang ? { lang } : {}) });
      expect(answer.body, String(lang)).toEqual({ error: { code: 'not-found', message } });
    }
    expect((await api('GET', '/broadcasts', { lang: 'en' })).body.error.message).toMatch(/^Send a valid API token/);
    expect((await api('GET', '/broadcasts')).body.error.message).toMatch(/^Vui lòng gửi mã truy cập API/);
    const problem = async (lang: string) => (await api('GET', '/broadcasts?status=sent', { token: token.staff, lang })).body.error.problems[0].message as string;
    expect(await problem('en')).toMatch(/^Invalid option/);
    expect(await problem('vi')).toMatch(/^Tùy chọn không hợp lệ/);
    const quiet = await api('POST', '/broadcasts', { token: token.staff, body: draft({ timing: { kind: 'once', at: `${NEXT_YEAR}-03-10 22:30` } }), lang: 'vi' });
    expect(quiet.body.error.message).toBe('Chưa lưu bản tin; vui lòng sửa các lỗi sau rồi thử lại:');
    expect(quiet.body.error.problems[0].message).toContain('giờ yên tĩnh');
  });

  it('never writes a token to a log line or the audit trail', async () => {
    const name = uniqueName('vinh');
    const own = await userWithToken(name, 'staff');
    expect((await api('GET', '/broadcasts', { token: own })).status).toBe(200);
    const wrong = `lp_${randomBytes(32).toString('base64url')}`;
    expect((await api('GET', '/broadcasts?status=draft', { token: wrong })).status).toBe(401);
    await tokens.revoke(name, 'test');
    expect((await api('GET', '/broadcasts', { token: own })).status).toBe(401);

    const rejected = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'api credentials rejected');
    expect(rejected).toEqual(expect.arrayContaining([expect.objectContaining({ method: 'GET', path: '/api/v1/broadcasts' })]));
    expect(logLines.length).toBeGreaterThan(rejected.length);
    const trail = await audit.latest(10_000);
    expect(trail.map((e) => [e.action, e.subject])).toEqual(expect.arrayContaining([['user.api-token-issued', `user:${name}`], ['user.api-token-revoked', `user:${name}`]]));
    const written = logLines.join('\n') + JSON.stringify(trail);
    for (const secret of [...issued, wrong]) {
      expect(written).not.toContain(secret);
      expect(written).not.toContain(secret.slice(3, 20));
    }
  });

  it('issues and revokes tokens with `loaphuong users token`', RUNS_CLI, async () => {
    const cli = (...args: string[]) => runCli(['users', 'token', ...args], { ...service.env, DEFAULT_LOCALE: 'en', LOG_LEVEL: 'error' });
    const name = uniqueName('thu');
    await users.add({ username: name, displayName: 'Thu', role: 'approver', password: 'một mật khẩu đủ dài' }, 'test');

    const first = await cli(name);
    expect(first.code).toBe(0);
    const [heading, printed, ...rest] = first.stdout.split('\n');
    expect(heading).toBe(`API token for ${name} (shown only once; store it like a password, the previous token no longer works):`);
    expect(printed).toMatch(/^lp_[A-Za-z0-9_-]{43}$/);
    expect(rest).toEqual(['']);
    issued.push(printed!);
    expect((await api('GET', '/broadcasts', { token: printed })).status).toBe(200);

    const second = await cli(name);
    const replacement = second.stdout.split('\n')[1]!;
    issued.push(replacement);
    expect((await api('GET', '/broadcasts', { token: printed })).status).toBe(401);
    expect((await api('GET', '/broadcasts', { token: replacement })).status).toBe(200);

    expect(await cli(name, '--revoke')).toMatchObject({ code: 0, stdout: `Revoked the API token of ${name}.\n` });
    expect((await api('GET', '/broadcasts', { token: replacement })).status).toBe(401);
    expect(await cli(name, '--revoke')).toMatchObject({ code: 0, stdout: `${name} has no API token.\n` });
    expect(await cli('ghost')).toMatchObject({ code: 1, stdout: '', stderr: 'Error: There is no account named ghost.\n' });
    await users.disable(name, 'test');
    expect(await cli(name)).toMatchObject({ code: 1, stdout: '', stderr: `Error: ${name} is disabled, so no token is issued.\n` });
    const trail = await audit.latest(10_000);
    expect(trail.filter((e) => e.subject === `user:${name}`).map((e) => [e.action, e.actor])).toEqual([
      ['user.disabled', 'test'],
      ['user.api-token-revoked', 'cli:tester'],
      ['user.api-token-issued', 'cli:tester'],
      ['user.api-token-issued', 'cli:tester'],
      ['user.created', 'test'],
    ]);
  });
});
