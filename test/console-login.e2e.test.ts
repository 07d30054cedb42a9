import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/accounts/schemas.js';
import { UserStore } from '../src/accounts/user-store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { base32, totpCode, totpStep } from '../src/console/auth/totp.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { runCli } from './support/cli.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';

let service: TestService;
let users: UserStore;
let audit: AuditLog;
const PASSWORD = 'một mật khẩu đủ dài';
const uniqueName = (stem: string) => `${stem}-${randomBytes(3).toString('hex')}`;

/**
 * A browser without JavaScript: keeps cookies, follows nothing by itself, and comes from its own address (the
 * service trusts one proxy), so one test's failures do not lock another test out.
 */
class Browser {
  readonly cookies = new Map<string, string>();
  readonly setCookies: string[] = [];
  private readonly address = `10.${randomBytes(3).join('.')}`;

  async get(path: string): Promise<Response> {
    return this.keep(await fetch(`${service.baseUrl}${path}`, { redirect: 'manual', headers: this.headers() }));
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.keep(
      await fetch(`${service.baseUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
    );
  }

  /** Opens the login page and signs in with the password; the answer to the password step. */
  async signIn(username: string, password = PASSWORD, lang = 'vi'): Promise<Response> {
    const page = await (await this.get(`/console/login?lang=${lang}`)).text();
    return this.post(`/console/login?lang=${lang}`, { username, password, csrf: csrfOf(page) });
  }

  private headers(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { 'x-forwarded-for': this.address, ...(cookie ? { cookie } : {}) };
  }

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, at), pair!.slice(at + 1)];
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

function csrfOf(page: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page);
  if (!match) throw new Error(`no CSRF field in:\n${page}`);
  return match[1]!;
}

async function addUser(stem: string, role: Role, displayName = stem): Promise<string> {
  const username = uniqueName(stem);
  await users.add({ username, displayName, role, password: PASSWORD }, 'test');
  return username;
}

async function auditOf(username: string) {
  return (await audit.latest(500)).filter((e) => e.subject === `user:${username}`);
}

/** A code for the current time that is surely not accepted: none of the codes of the steps around now. */
function wrongCode(secret: Buffer): string {
  const step = totpStep(new Date());
  const near = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, step + d)));
  return ['000000', '111111', '222222', '333333', '444444', '555555'].find((c) => !near.has(c))!;
}

beforeAll(async () => {
  service = await startTestService({ TRUSTED_PROXIES: '1' });
  const { redis, prefix } = service.datastore;
  audit = new AuditLog(redis, prefix);
  users = new UserStore(redis, prefix, audit);
});
afterAll(() => service?.stop());

describe('console login', () => {
  it('serves a Vietnamese login form without scripts, cached nowhere, that cannot be framed', async () => {
    const browser = new Browser();
    const res = await browser.get('/console/login');
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')?.split(';')).toEqual(expect.arrayContaining(["default-src 'none'", "style-src 'unsafe-inline'", "form-action 'self'", "frame-ancestors 'none'"]));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page).toContain('<html lang="vi">');
    expect(page).toContain('<label for="username">Tên đăng nhập</label>');
    expect(page).toContain('<label for="password">Mật khẩu</label>');
    expect(page).toContain('name="viewport"');
    expect(page).not.toMatch(/<script|onload=|javascript:/i);
    expect(csrfOf(page)).toMatch(/^[\w-]{43}$/);
    const english = await (await browser.get('/console/login?lang=en')).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain('<label for="username">Username</label>');
    // The same browser keeps its login cookie, so the token stays the same.
    expect(csrfOf(english)).toBe(csrfOf(page));
  });

  it('signs a staff member in with a password alone, shows who is signed in (escaped), and signs out', async () => {
    const username = await addUser('lan.staff', 'staff', 'Lan <script>alert(1)</script>');
    const browser = new Browser();
    expect((await browser.get('/console')).headers.get('location')).toBe('/console/login?lang=vi');

    const answer = await browser.signIn(username);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/console?lang=vi');
    const sessionCookie = browser.setCookies.find((c) => c.startsWith('lp_session='))!;
    expect(sessionCookie).toMatch(/^lp_session=[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict$/);
    expect(browser.cookies.has('lp_login')).toBe(false);

    const home = await browser.get('/console');
    const page = await home.text();
    expect(home.status).toBe(200);
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(page).toContain(`Lan &lt;script&gt;alert(1)&lt;/script&gt; (${username}), vai trò cán bộ phường`);
    expect(page).not.toContain('<script>');

    const sessionId = browser.cookies.get('lp_session')!;
    const out = await browser.post('/console/logout?lang=vi', { csrf: csrfOf(page) });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/console/login?lang=vi&out=1');
    expect(browser.cookies.has('lp_session')).toBe(false);
    expect(await (await browser.get('/console/login?lang=vi&out=1')).text()).toContain('Bạn đã đăng xuất.');
    // The old cookie no longer opens anything.
    browser.cookies.set('lp_session', sessionId);
    expect((await browser.get('/console')).status).toBe(303);
    expect((await auditOf(username)).map((e) => [e.action, e.actor])).toEqual([
      ['console.logout', `console:${username}`],
      ['console.login', `console:${username}`],
      ['user.created', 'test'],
    ]);
  });

  it('answers an unknown user and a wrong password alike, and audits neither password', async () => {
    const username = await addUser('hoa.staff', 'staff');
    const wrong = await new Browser().signIn(username, 'mật khẩu sai hoàn toàn');
    const unknown = await new Browser().signIn(uniqueName('nobody'), 'mật khẩu sai hoàn toàn');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const [wrongPage, unknownPage] = [await wrong.text(), await unknown.text()];
    for (const page of [wrongPage, unknownPage]) expect(page).toContain('Sai tên đăng nhập hoặc mật khẩu.');
    expect(wrongPage.replace(/value="[^"]*"/g, '')).toBe(unknownPage.replace(/value="[^"]*"/g, ''));
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('lp_session='))).toBe(false);

    const [failure] = await auditOf(username);
    expect([failure!.action, failure!.details.reason]).toEqual(['console.login-failed', 'wrong-password']);
    expect(JSON.stringify(await audit.latest(500))).not.toContain('mật khẩu sai');
  });

  it('locks an account out for 15 minutes after 5 failures, even with the right password and from elsewhere', async () => {
    const username = await addUser('khoa.staff', 'staff');
    const attacker = new Browser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attacker.signIn(username, `sai mật khẩu ${i} nhé`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const owner = await new Browser().signIn(username);
    expect(owner.status).toBe(429);
    expect(owner.headers.get('retry-after')).toBe('900');
    expect(await owner.text()).toContain('Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.');
    expect(owner.headers.getSetCookie().some((c) => c.startsWith('lp_session='))).toBe(false);
  });

  it('locks an address out after 5 failures whatever usernames it tries', async () => {
    const username = await addUser('tuan.staff', 'staff');
    const guesser = new Browser();
    for (let i = 0; i < 5; i++) await guesser.signIn(uniqueName('guess'), 'đoán mật khẩu mãi thôi');
    expect((await guesser.signIn(username)).status).toBe(429);
    expect((await new Browser().signIn(username)).status).toBe(303);
  });

  it('refuses police without an enrolled second factor, telling them to ask for one', async () => {
    const username = await addUser('cs.hung', 'police');
    const answer = await new Browser().signIn(username, PASSWORD, 'en');
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('Accounts with the police role must use a two-factor code, and yours has none enrolled.');
    expect(answer.headers.getSetCookie().some((c) => c.startsWith('lp_session='))).toBe(false);
    expect((await auditOf(username))[0]!.details.reason).toBe('second-factor-not-enrolled');
  });

  it('asks for the TOTP code enrolled with the CLI, refuses a wrong or reused one, and signs in with a fresh one', async () => {
    const username = await addUser('cs.lan', 'police');
    const enrolled = await runCli(['users', 'totp', username], service.env);
    expect(enrolled.code).toBe(0);
    const lines = enrolled.stdout.trim().split('\n');
    const secretText = lines.at(-2)!;
    expect(secretText).toMatch(/^[A-Z2-7]{32}$/);
    expect(lines.at(-1)).toBe(`otpauth://totp/Loa%20Phuong:${username}?secret=${secretText}&issuer=Loa%20Phuong`);
    const box = new SealedBox(loadKeyring(service.config.secrets, silentLogger()));
    const secret = (await new UserStore(service.datastore.redis, service.datastore.prefix, audit, undefined, box).totpSecret(username))!;
    expect(base32(secret)).toBe(secretText);

    const browser = new Browser();
    const step = await browser.signIn(username);
    const codeForm = await step.text();
    expect(step.status).toBe(200);
    expect(codeForm).toContain('<label for="code">Mã 6 chữ số trong ứng dụng xác thực</label>');
    expect(browser.cookies.has('lp_session')).toBe(false);
    expect((await browser.get('/console')).status).toBe(303);

    const wrong = await browser.post('/console/login/code?lang=vi', { code: wrongCode(secret), csrf: csrfOf(codeForm) });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Mã không đúng');

    const code = totpCode(secret, totpStep(new Date()));
    const right = await browser.post('/console/login/code?lang=vi', { code, csrf: csrfOf(codeForm) });
    expect(right.status).toBe(303);
    expect((await browser.get('/console')).status).toBe(200);

    // Someone who saw the code and knows the password cannot use it again.
    const onlooker = new Browser();
    const theirForm = await (await onlooker.signIn(username)).text();
    const replayed = await onlooker.post('/console/login/code?lang=vi', { code, csrf: csrfOf(theirForm) });
    expect(replayed.status).toBe(401);
    expect(onlooker.cookies.has('lp_session')).toBe(false);

    const actions = (await auditOf(username)).map((e) => [e.action, e.details.reason ?? e.details.secondFactor ?? null]);
    expect(actions.slice(0, 3)).toEqual([
      ['console.login-failed', 'reused-code'],
      ['console.login', true],
      ['console.login-failed', 'wrong-code'],
    ]);
    expect(JSON.stringify(await audit.latest(500))).not.toContain(code);
  });

  it('refuses forms without the right CSRF token with a 403 page', async () => {
    const username = await addUser('mai.staff', 'staff');
    const stranger = new Browser();
    const noToken = await stranger.post('/console/login', { username, password: PASSWORD });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('Biểu mẫu đã hết hạn');

    // A token from another browser's login page does not match this browser's cookie.
    const other = csrfOf(await (await new Browser().get('/console/login')).text());
    await stranger.get('/console/login');
    expect((await stranger.post('/console/login', { username, password: PASSWORD, csrf: other })).status).toBe(403);

    const browser = new Browser();
    expect((await browser.signIn(username)).status).toBe(303);
    expect((await browser.post('/console/logout', {})).status).toBe(403);
    expect((await browser.post('/console/logout', { csrf: other })).status).toBe(403);
    expect((await browser.get('/console')).status).toBe(200);
  });

  it("ends a disabled user's session at the next request", async () => {
    const username = await addUser('an.staff', 'staff');
    const browser = new Browser();
    await browser.signIn(username);
    expect((await browser.get('/console')).status).toBe(200);
    await users.disable(username, 'test');
    const after = await browser.get('/console');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/console/login?lang=vi');
    expect((await new Browser().signIn(username)).status).toBe(401);
  });
});
