import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/accounts/actor.js';
import { UserStore } from '../src/accounts/user-store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { SESSION_COOKIE } from '../src/console/auth/cookies.js';
import { Sessions } from '../src/console/auth/sessions.js';
import type { Group } from '../src/groups/schemas.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { signedIn, type ConsoleBrowser } from './support/console.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';

let service: TestService;
let lan: ConsoleBrowser;
let minh: ConsoleBrowser;
let hoa: ConsoleBrowser;
let police: ConsoleBrowser;
const staffActor: Actor = { name: 'lan', role: 'staff' };

const NEXT_YEAR = new Date().getFullYear() + 1;
const AT = `${NEXT_YEAR}-03-10 09:00`;
/** 09:00 in the ward's zone, which keeps UTC+7 all year. */
const AT_ISO = `${NEXT_YEAR}-03-10T02:00:00.000Z`;

const uniqueTag = (stem: string) => `${stem}-${randomBytes(3).toString('hex')}`;

async function approvedGroup(name: string, tags: string[]): Promise<Group> {
  const group = await service.groups.register({ platform: 'sandbox', chatId: `chat-${randomBytes(4).toString('hex')}`, name, tags }, 'test');
  return service.groups.approve(group.id, 'test');
}

function form(overrides: Record<string, string> = {}): Record<string, string> {
  return { title: 'Thông báo họp tổ', timing: 'once', at: AT, content: 'text', textVi: 'Mời bà con dự họp tổ lúc 19:00.', textEn: 'Residents are invited to the meeting at 19:00.', target: 'all', ...overrides };
}

/** Creates a broadcast through the form and follows the redirect to its page; returns its id. */
async function createdThroughForm(by: ConsoleBrowser, fields: Record<string, string>): Promise<string> {
  const answer = await by.post('/console/broadcasts?lang=vi', fields);
  expect(answer.status, answer.body).toBe(303);
  const match = /^\/console\/broadcasts\/(b-[a-f0-9]+)\?lang=vi&notice=created$/.exec(answer.headers.get('location') ?? '');
  expect(match, answer.headers.get('location') ?? '').not.toBeNull();
  return match![1]!;
}

beforeAll(async () => {
  service = await startTestService();
  lan = await signedIn(service, 'lan', 'staff');
  minh = await signedIn(service, 'minh', 'approver');
  hoa = await signedIn(service, 'hoa', 'approver');
  police = await signedIn(service, 'cs.binh', 'police');
});

afterAll(async () => {
  await service?.stop();
});

describe('staff console: who may open it', () => {
  const pages = ['/console/groups', '/console/broadcasts', '/console/broadcasts/b-0000000000', '/console/broadcasts/occurrences/b-0000000000.20260310-0900'];

  it('sends a browser without a session to the sign-in page', async () => {
    for (const path of pages) {
      const answer = await fetch(`${service.baseUrl}${path}?lang=en`, { redirect: 'manual' });
      expect(answer.status, path).toBe(303);
      expect(answer.headers.get('location'), path).toBe('/console/login?lang=en');
    }
  });

  it('refuses every staff page and action to a police account', async () => {
    for (const path of pages) {
      const answer = await police.get(`${path}?lang=en`);
      expect(answer.status, path).toBe(403);
      expect(answer.body).toContain('Your account may not see this page.');
    }
    const group = await service.groups.register({ platform: 'sandbox', chatId: `chat-${randomBytes(4).toString('hex')}`, name: 'Tổ chờ', tags: [] }, 'test');
    expect((await police.post(`/console/groups/${group.id}/approve`, {})).status).toBe(403);
    expect((await police.post('/console/broadcasts', form())).status).toBe(403);
    expect((await service.groups.get(group.id))?.status).toBe('pending');
  });

  it('refuses a form posted without the session CSRF token', async () => {
    const { redis, prefix } = service.datastore;
    const users = new UserStore(redis, prefix, new AuditLog(redis, prefix));
    const sessions = new Sessions(redis, prefix, new SealedBox(loadKeyring(service.config.secrets, silentLogger())), users);
    const cookie = `${SESSION_COOKIE}=${await sessions.create('lan')}`;
    const group = await service.groups.register({ platform: 'sandbox', chatId: `chat-${randomBytes(4).toString('hex')}`, name: 'Tổ không CSRF', tags: [] }, 'test');
    for (const body of ['', 'csrf=forged']) {
      const answer = await fetch(`${service.baseUrl}/console/groups/${group.id}/approve`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
      });
      expect(answer.status).toBe(403);
    }
    expect((await service.groups.get(group.id))?.status).toBe('pending');
    // The session itself is live: only the missing or forged token was refused.
    expect((await fetch(`${service.baseUrl}/console/groups`, { headers: { cookie } })).status).toBe(200);
  });
});

describe('staff console: groups', () => {
  it('lists pending groups first and approves, tags, pauses and resumes them, audited under the user', async () => {
    await approvedGroup('A tổ đã duyệt', ['tdp-1']);
    const pending = await service.groups.register({ platform: 'sandbox', chatId: `chat-${randomBytes(4).toString('hex')}`, name: 'Z tổ <mới>', tags: [] }, 'test');

    const page = await lan.get('/console/groups');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.body).toContain('Z tổ &lt;mới&gt;');
    expect(page.body).not.toContain('Z tổ <mới>');
    expect(page.body.indexOf('Z tổ &lt;mới&gt;')).toBeLessThan(page.body.indexOf('A tổ đã duyệt'));
    expect(page.body).toContain(`action="/console/groups/${pending.id}/approve?lang=vi"`);

    const approve = await lan.post(`/console/groups/${pending.id}/approve?lang=en`, {});
    expect(approve.status).toBe(303);
    expect(approve.headers.get('location')).toBe('/console/groups?lang=en&notice=groupApproved');
    expect((await service.groups.get(pending.id))?.status).toBe('approved');
    expect((await lan.get('/console/groups?lang=en&notice=groupApproved')).body).toContain('The group was approved.');

    const tagged = await lan.post(`/console/groups/${pending.id}/tags`, { tags: 'tdp-9, khu-b  tdp-9' });
    expect(tagged.status).toBe(303);
    expect((await service.groups.get(pending.id))?.tags).toEqual(['tdp-9', 'khu-b']);

    const refused = await lan.post(`/console/groups/${pending.id}/tags?lang=en`, { tags: 'tdp-9, Khu B!' });
    expect(refused.status).toBe(422);
    expect(refused.body).toContain('These tags are not valid: Khu, B!.');
    expect(refused.body).toContain('value="tdp-9, Khu B!"');
    expect((await service.groups.get(pending.id))?.tags).toEqual(['tdp-9', 'khu-b']);

    expect((await lan.post(`/console/groups/${pending.id}/pause`, {})).status).toBe(303);
    expect((await service.groups.get(pending.id))?.status).toBe('paused');
    expect((await lan.post(`/console/groups/${pending.id}/resume`, {})).status).toBe(303);
    expect((await service.groups.get(pending.id))?.status).toBe('approved');

    const { redis, prefix } = service.datastore;
    const actions = (await new AuditLog(redis, prefix).latest(200)).filter((e) => e.subject === `group:${pending.id}` && e.actor === 'lan').map((e) => e.action);
    expect(actions.sort()).toEqual(['group.approved', 'group.paused', 'group.resumed', 'group.tagged']);

    expect((await lan.post('/console/groups/g-doesnotexist/approve', {})).status).toBe(404);
  });
});

describe('staff console: broadcasts', () => {
  it('shows precise problems for a bad form in the user language, keeps the input and stores nothing', async () => {
    const before = (await service.broadcasts.list(staffActor)).length;

    const missing = await lan.post('/console/broadcasts?lang=en', form({ title: '', content: 'message', campaign: '2026-thang-hanh-dong', message: '' }));
    expect(missing.status).toBe(422);
    expect(missing.body).toContain('The broadcast was not saved; fix these and try again:');
    expect(missing.body).toMatch(/<label for="title">[^<]*<\/label>\s*<p class="field-problem" id="title-problem-0">/);
    expect(missing.body).toMatch(/<label for="message">[^<]*<\/label>\s*<p class="field-problem" id="message-problem-0">/);

    const tag = uniqueTag('khong-nhom');
    const wrong = await lan.post('/console/broadcasts?lang=en', form({ title: 'Họp <tổ>', at: 'mai 7 giờ', target: 'tags', tags: tag }));
    expect(wrong.status).toBe(422);
    expect(wrong.body).toContain('“mai 7 giờ” is not a time; write it as 2026-06-26 07:00 (ward time) or as an ISO time with its offset.');
    expect(wrong.body).toContain('No approved group matches this target, so nobody would receive it.');
    expect(wrong.body).toContain('value="mai 7 giờ"');
    expect(wrong.body).toContain('value="Họp &lt;tổ&gt;"');
    expect(wrong.body).toContain(`value="${tag}"`);
    expect(wrong.body).toMatch(/<input type="radio" name="target" value="tags" checked>/);

    const vi = await lan.post('/console/broadcasts?lang=vi', form({ at: 'mai 7 giờ' }));
    expect(vi.status).toBe(422);
    expect(vi.body).toContain('“mai 7 giờ” không phải');
    expect((await service.broadcasts.list(staffActor)).length).toBe(before);
  });

  it('lets staff create a broadcast, refuses approval by its author, and shows it delivered once another approver approves', async () => {
    const tag = uniqueTag('tdp');
    const group = await approvedGroup('Tổ dân phố 7', [tag]);
    const id = await createdThroughForm(lan, form({ title: 'Nhắc <b>họp</b> tổ', target: 'tags', tags: tag }));

    const detail = await lan.get(`/console/broadcasts/${id}?lang=vi&notice=created`);
    expect(detail.status).toBe(200);
    expect(detail.body).toContain('Nhắc &lt;b&gt;họp&lt;/b&gt; tổ');
    expect(detail.body).toContain('Đã lưu bản nháp.');
    expect(detail.body).toContain(`một lần, lúc ${AT} (giờ phường)`);
    expect(detail.body).toContain(`<li>${AT}</li>`);
    expect(detail.body).toContain('<div class="message" lang="vi">Mời bà con dự họp tổ lúc 19:00.</div>');
    expect(detail.body).toContain('<div class="message" lang="en">Residents are invited to the meeting at 19:00.</div>');
    expect(detail.body).not.toContain(`/console/broadcasts/${id}/approve`);

    const byStaff = await lan.post(`/console/broadcasts/${id}/approve?lang=en`, {});
    expect(byStaff.status).toBe(403);
    expect(byStaff.body).toContain('A user with the role staff may not approve broadcasts.');

    const minhsOwn = await createdThroughForm(minh, form({ title: 'Bản của Minh', target: 'tags', tags: tag }));
    expect((await minh.get(`/console/broadcasts/${minhsOwn}`)).body).not.toContain(`/console/broadcasts/${minhsOwn}/approve`);
    const own = await minh.post(`/console/broadcasts/${minhsOwn}/approve?lang=en`, {});
    expect(own.status).toBe(403);
    expect(own.body).toContain(`Broadcast ${minhsOwn} was written by you; another approver must approve it.`);
    expect((await service.broadcasts.get(minhsOwn, staffActor)).status).toBe('draft');
    expect((await hoa.post(`/console/broadcasts/${minhsOwn}/cancel`, {})).status).toBe(303);

    expect((await minh.get(`/console/broadcasts/${id}`)).body).toContain(`action="/console/broadcasts/${id}/approve?lang=vi"`);
    const approve = await minh.post(`/console/broadcasts/${id}/approve`, {});
    expect(approve.status).toBe(303);
    expect(approve.headers.get('location')).toBe(`/console/broadcasts/${id}?lang=vi&notice=approve`);
    expect((await service.broadcasts.get(id, staffActor)).approvedBy).toBe('minh');
    const again = await minh.post(`/console/broadcasts/${id}/approve?lang=en`, {});
    expect(again.status).toBe(409);

    await service.broadcasts.deps.triggers.fire(id, new Date(AT_ISO), `console-test-${id}`);
    const occurrencePath = `/console/broadcasts/occurrences/${id}.${AT.replace(/[-:]/g, '').replace(' ', '-')}?lang=en`;
    let page = await lan.get(occurrencePath);
    for (let i = 0; i < 100 && !page.body.includes('<strong>sent</strong>'); i++) {
      await sleep(100);
      page = await lan.get(occurrencePath);
    }
    expect(page.body).toContain('<h3>Tổ dân phố 7</h3>');
    expect(page.body).toContain('<strong>sent</strong>');
    expect(page.body).not.toContain('Send the failed ones again');
    const rows = await service.broadcasts.deliveries(`${id}.${AT.replace(/[-:]/g, '').replace(' ', '-')}`, staffActor);
    expect(rows).toMatchObject([{ groupId: group.id, status: 'sent' }]);

    const summary = await lan.get(`/console/broadcasts/${id}?lang=en`);
    expect(summary.body).toContain('1 groups: 1 sent, 0 failed, 0 skipped, 0 waiting, 0 sending, 0 unknown.');

    const listed = await lan.get('/console/broadcasts?lang=en&status=finished');
    expect(listed.body).toContain(`href="/console/broadcasts/${id}?lang=en"`);
    expect((await lan.get('/console/broadcasts?lang=en&status=draft')).body).not.toContain(`href="/console/broadcasts/${id}?lang=en"`);
  });

  it('answers 404 for a broadcast or occurrence that does not exist', async () => {
    expect((await lan.get('/console/broadcasts/b-0000000000')).status).toBe(404);
    expect((await lan.get('/console/broadcasts/Not%20An%20Id')).status).toBe(404);
    expect((await lan.get('/console/broadcasts/occurrences/nope?lang=en')).body).toContain('There is no occurrence nope.');
  });
});
