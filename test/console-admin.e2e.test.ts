import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/accounts/password.js';
import type { Role } from '../src/accounts/schemas.js';
import { UserStore } from '../src/accounts/user-store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { SESSION_COOKIE } from '../src/console/auth/cookies.js';
import { Sessions } from '../src/console/auth/sessions.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { MILESTONES_QUEUE } from '../src/milestones/milestone-notices.js';
import { signedIn, type ConsoleBrowser } from './support/console.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';

let service: TestService;
let users: UserStore;
let audit: AuditLog;
let admin: ConsoleBrowser;

beforeAll(async () => {
  service = await startTestService();
  const { redis, prefix } = service.datastore;
  audit = new AuditLog(redis, prefix);
  users = new UserStore(redis, prefix, audit);
  admin = await signedIn(service, 'quan', 'admin');
});
afterAll(() => service?.stop());

const ADMIN_PAGES = ['/console/users', '/console/audit', '/console/queues/', '/console/queues/api/queues'];

/** The generated password, from the one page that shows it. */
const shownPassword = (body: string) => /<code class="secret"[^>]*>([^<]+)<\/code>/.exec(body)?.[1];

function serviceQueueNames(): string[] {
  const { channels, broadcasts, tips, questions } = service;
  return [
    ...channels.platforms.map((p) => channels.outbox.queue(p).name),
    channels.inbox.queue.name,
    broadcasts.deps.triggers.queue.name,
    tips.deps.queue.queue.name,
    questions.deps.queue.queue.name,
    MILESTONES_QUEUE,
  ];
}

function boardAction(path: string, method: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${service.baseUrl}${path}`, { method, headers, redirect: 'manual' });
}

describe('accounts page', () => {
  it('lists accounts and adds one with a generated password shown once, audited as the admin', async () => {
    const before = await admin.get('/console/users');
    expect(before.status).toBe(200);
    expect(before.body).toContain('<td>quan</td>');
    expect(before.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(before.headers.get('content-security-policy')).not.toContain('script-src');

    const added = await admin.post('/console/users?lang=en', { username: 'Lan.Tran', displayName: 'Trần <b>Lan</b>', role: 'approver' });
    expect(added.status).toBe(201);
    expect(added.body).toContain('The account lan.tran (approver) was created.');
    expect(added.body).toContain('Trần &lt;b&gt;Lan&lt;/b&gt;');
    expect(added.body).not.toContain('<b>Lan</b>');
    const password = shownPassword(added.body)!;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);

    const stored = await users.get('lan.tran');
    expect(stored).toMatchObject({ displayName: 'Trần <b>Lan</b>', role: 'approver', status: 'active' });
    expect(await verifyPassword(password, stored!.passwordHash)).toBe(true);
    expect((await admin.get('/console/users')).body).not.toContain(password);
    const [entry] = await audit.latest(1);
    expect(entry).toMatchObject({ actor: 'console:quan', action: 'user.created', subject: 'user:lan.tran', details: { role: 'approver' } });
  });

  it('says police and admin accounts need a second factor before they can sign in', async () => {
    const added = await admin.post('/console/users?lang=en', { username: 'cs.hung', displayName: 'Hùng', role: 'police' });
    expect(added.status).toBe(201);
    expect(added.body).toContain('loaphuong users totp cs.hung');
  });

  it('refuses a bad or taken username and keeps what was typed', async () => {
    const bad = await admin.post('/console/users?lang=en', { username: 'x"><script>', displayName: 'Mai', role: 'staff' });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('The username must be 3 to 32 characters');
    expect(bad.body).toContain('value="x&quot;&gt;&lt;script&gt;"');
    expect(shownPassword(bad.body)).toBeUndefined();
    expect(await users.get('x"><script>')).toBeUndefined();

    const noRole = await admin.post('/console/users?lang=en', { username: 'mai.le', displayName: 'Mai', role: 'root' });
    expect([noRole.status, noRole.body.includes('Please choose one of the roles')]).toEqual([422, true]);

    const taken = await admin.post('/console/users?lang=en', { username: 'quan', displayName: 'Someone else', role: 'admin' });
    expect(taken.status).toBe(409);
    expect(taken.body).toContain('An account named quan already exists.');
    expect((await users.get('quan'))!.displayName).toBe('quan');
  });

  it('disables an account, ending its sessions, audited as the admin; never the admin’s own', async () => {
    const hoa = await signedIn(service, 'hoa.pham', 'staff');
    expect((await hoa.get('/console')).status).toBe(200);

    const done = await admin.post('/console/users/disable?lang=en', { username: 'hoa.pham' });
    expect(done.status).toBe(200);
    expect(done.body).toContain('The account hoa.pham was disabled');
    expect((await users.get('hoa.pham'))!.status).toBe('disabled');
    expect(await audit.latest(1)).toMatchObject([{ actor: 'console:quan', action: 'user.disabled', subject: 'user:hoa.pham' }]);
    expect((await hoa.get('/console')).status).toBe(303);

    const self = await admin.post('/console/users/disable?lang=en', { username: 'quan' });
    expect([self.status, self.body.includes('You cannot disable your own account.')]).toEqual([409, true]);
    expect((await users.get('quan'))!.status).toBe('active');
    expect((await admin.post('/console/users/disable', { username: 'nobody' })).status).toBe(404);
  });

  it('refuses a form without the session’s CSRF token', async () => {
    await users.add({ username: 'tuan.vo', displayName: 'Tuấn', role: 'staff', password: 'a long test password' }, 'test');
    const cookie = await sessionCookieOf(admin);
    const forged = await fetch(`${service.baseUrl}/console/users/disable`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'tuan.vo' }).toString(),
    });
    expect(forged.status).toBe(403);
    expect((await users.get('tuan.vo'))!.status).toBe('active');
  });
});

describe('audit log viewer', () => {
  it('shows entries newest first in ward time, escaped, and filters by actor, action prefix and subject', async () => {
    await audit.record({ actor: 'cli:root', action: 'group.approved', subject: 'group:zalo:<i>1</i>', details: { tag: '<script>alert(1)</script>' } });
    await audit.record({ actor: 'console:minh', action: 'broadcast.approved', subject: 'schedule:abc', details: { urgent: true } });

    const all = await admin.get('/console/audit');
    expect(all.status).toBe(200);
    expect(all.body).not.toContain('<script>alert(1)</script>');
    expect(all.body).toContain('tag: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(all.body).toContain('group:zalo:&lt;i&gt;1&lt;/i&gt;');
    expect(all.body.indexOf('broadcast.approved')).toBeLessThan(all.body.indexOf('group.approved'));
    const [newest] = await audit.latest(1);
    const wardTime = new Intl.DateTimeFormat('sv-SE', { timeZone: service.config.timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(newest!.at));
    expect(all.body).toContain(`<time datetime="${newest!.at}">${wardTime}</time>`);

    const rows = (body: string) => [...body.matchAll(/<tr><td><time[^>]*>[^<]*<\/time><\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) => m.slice(1));
    const byAction = rows((await admin.get('/console/audit?action=group.')).body);
    expect(byAction).toEqual([['cli:root', 'group.approved', 'group:zalo:&lt;i&gt;1&lt;/i&gt;']]);
    const byActor = rows((await admin.get('/console/audit?actor=MINH')).body);
    expect(byActor).toEqual([['console:minh', 'broadcast.approved', 'schedule:abc']]);
    const bySubject = rows((await admin.get('/console/audit?subject=schedule:abc&action=group')).body);
    expect(bySubject).toEqual([]);
    expect((await admin.get('/console/audit?subject=nothing-like-this&lang=en')).body).toContain('No entries match.');
  });
});

describe('queue dashboard', () => {
  it('serves bull-board to admins with its own CSP, listing every queue of the service', async () => {
    const page = await admin.get('/console/queues/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('<base href="/console/queues/"');
    const csp = page.headers.get('content-security-policy')!;
    // Its only inline <script> is a JSON data block, so no inline script runs and none is allowed to.
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-powered-by')).toBeNull();

    const script = /<script defer src="(static\/js\/main\.[^"]+)"/.exec(page.body)![1]!;
    const asset = await admin.get(`/console/queues/${script}`);
    expect([asset.status, asset.headers.get('content-type')]).toEqual([200, expect.stringContaining('javascript')]);
    expect((await admin.get('/console/queues')).status).toBe(200);

    const api = await admin.get('/console/queues/api/queues');
    expect(api.status).toBe(200);
    const names = (JSON.parse(api.body) as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    expect(names.sort()).toEqual(serviceQueueNames().sort());
  });

  it('lets its own same-origin actions through without the form token, but not another site’s', async () => {
    const cookie = await sessionCookieOf(admin);
    const queue = service.questions.deps.queue.queue;
    const path = `/console/queues/api/queues/${encodeURIComponent(queue.name)}`;
    const crossSite = await boardAction(`${path}/pause`, 'PUT', { cookie, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(await queue.isPaused()).toBe(false);

    const paused = await boardAction(`${path}/pause`, 'PUT', { cookie, 'sec-fetch-site': 'same-origin' });
    expect(paused.status).toBe(200);
    expect(await queue.isPaused()).toBe(true);
    expect((await boardAction(`${path}/resume`, 'PUT', { cookie })).status).toBe(200);
    expect(await queue.isPaused()).toBe(false);
  });
});

describe('who may see the admin pages', () => {
  it.each<Role>(['staff', 'approver', 'police'])('answers %s with 403 on every admin page, form and dashboard action', async (role) => {
    const user = await signedIn(service, `not-admin-${role}`, role);
    for (const path of ADMIN_PAGES) expect((await user.get(path)).status, path).toBe(403);
    expect((await user.post('/console/users', { username: 'sneaky', displayName: 'S', role: 'admin' })).status).toBe(403);
    expect((await user.post('/console/users/disable', { username: 'quan' })).status).toBe(403);
    const pause = await boardAction(`/console/queues/api/queues/${encodeURIComponent(service.tips.deps.queue.queue.name)}/pause`, 'PUT', {
      cookie: await sessionCookieOf(user),
    });
    expect(pause.status).toBe(403);
    expect(await service.tips.deps.queue.queue.isPaused()).toBe(false);
    expect(await users.get('sneaky')).toBeUndefined();
    expect((await users.get('quan'))!.status).toBe('active');
  });

  it('sends a browser without a session to the login page', async () => {
    for (const path of ADMIN_PAGES) {
      const answer = await fetch(`${service.baseUrl}${path}`, { redirect: 'manual' });
      expect([answer.status, answer.headers.get('location')], path).toEqual([303, '/console/login?lang=vi']);
    }
    const post = await fetch(`${service.baseUrl}/console/queues/api/queues/x/pause`, { method: 'PUT', redirect: 'manual' });
    expect(post.status).toBe(303);
  });
});

/**
 * A cookie for another session of the browser's user, for requests a ConsoleBrowser does not make: ones without the
 * form token, and the dashboard's own PUTs.
 */
async function sessionCookieOf(browser: ConsoleBrowser): Promise<string> {
  const { redis, prefix } = service.datastore;
  const sessions = new Sessions(redis, prefix, new SealedBox(loadKeyring(service.config.secrets, silentLogger())), users);
  return `${SESSION_COOKIE}=${await sessions.create(browser.username)}`;
}
