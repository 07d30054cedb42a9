import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, silentLogger, testPrefix, testRedis } from '../../../test/support/redis.js';
import { UserStore } from '../../accounts/user-store.js';
import { AuditLog } from '../../audit/audit-log.js';
import { SealedBox } from '../../platform/crypto/sealed-box.js';
import { createApp } from '../../platform/http/app.js';
import { listen, type Listening } from '../../platform/http/server.js';
import { createTranslator } from '../../platform/i18n.js';
import { Readiness } from '../../platform/readiness.js';
import { consoleAuthentication } from './login-routes.js';

const redis = testRedis();
let prefix: string;
let http: Listening;
let base: string;
let users: UserStore;

beforeEach(async () => {
  prefix = testPrefix();
  const key = randomBytes(32);
  const box = new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey: randomBytes(32) });
  const audit = new AuditLog(redis, prefix);
  users = new UserStore(redis, prefix, audit, undefined, box);
  const auth = consoleAuthentication({ redis, prefix, box, users, audit, translator: await createTranslator('vi'), defaultLocale: 'vi', secureCookies: true, logger: silentLogger() });
  // A later console page, open to police only.
  const tipsPage = Router().get('/console/tips', ...auth.requireSession(['police']), (_req, res) => void res.send('tips'));
  http = await listen(createApp({ readiness: new Readiness(), logger: silentLogger(), routers: [auth.routes, tipsPage] }), '127.0.0.1', 0);
  base = `http://127.0.0.1:${http.port}`;
});
afterEach(async () => {
  await http.close();
  await deleteKeys(redis, prefix);
});
afterAll(() => redis.quit());

/** Signs in with a password over plain HTTP by sending the cookies back by hand, as a browser behind TLS would. */
async function signIn(username: string): Promise<string> {
  const form = await fetch(`${base}/console/login`);
  const loginCookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const answer = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password: 'mật khẩu đủ dài', csrf }).toString(),
  });
  expect(answer.status).toBe(303);
  return answer.headers.getSetCookie().find((c) => c.startsWith('lp_session='))!;
}

describe('requireSession', () => {
  it('marks every cookie Secure when the console is served over HTTPS', async () => {
    await users.add({ username: 'lan.tran', displayName: 'Lan', role: 'staff', password: 'mật khẩu đủ dài' }, 'test');
    const loginCookie = (await fetch(`${base}/console/login`)).headers.getSetCookie()[0]!;
    expect(loginCookie).toMatch(/^lp_login=[\w-]{43}; Max-Age=3600; Path=\/console; Expires=.*; HttpOnly; Secure; SameSite=Strict$/);
    expect(await signIn('lan.tran')).toMatch(/^lp_session=[\w-]{43}; Path=\/console; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('sends the signed-out to the login page and answers a role without access with a 403 page', async () => {
    await users.add({ username: 'lan.tran', displayName: 'Lan', role: 'staff', password: 'mật khẩu đủ dài' }, 'test');
    const nobody = await fetch(`${base}/console/tips?lang=en`, { redirect: 'manual' });
    expect([nobody.status, nobody.headers.get('location')]).toEqual([303, '/console/login?lang=en']);

    const session = (await signIn('lan.tran')).split(';')[0]!;
    const staff = await fetch(`${base}/console/tips`, { headers: { cookie: session } });
    expect(staff.status).toBe(403);
    expect(staff.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await staff.text()).toContain('Tài khoản của bạn không có quyền xem trang này.');

    await redis.hset(`${prefix}:accounts:user:lan.tran`, 'role', 'police');
    const police = await fetch(`${base}/console/tips`, { headers: { cookie: session } });
    expect([police.status, await police.text()]).toEqual([200, 'tips']);
  });
});
