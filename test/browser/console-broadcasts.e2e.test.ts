import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import { totpCode, totpStep } from '../../src/console/auth/totp.js';
import { addConsoleAccount, BROWSER_TIMEOUTS, currentCode, describeInBrowser, signInThroughPages, zaloConsoleInBrowser } from '../support/browser.js';

const ZALO_TOKEN = '2718281828:ZaloBotBrowserTest';
const wait = { timeout: 30_000, interval: 100 };

/** A code for now that is surely refused: none of the codes of the steps around now. */
function wrongCode(secret: Buffer): string {
  const step = totpStep(new Date());
  const near = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, step + d)));
  return ['000000', '111111', '222222', '333333', '444444', '555555'].find((c) => !near.has(c))!;
}

describeInBrowser('the console in Chromium: sign-in and broadcasts', () => {
  const rig = zaloConsoleInBrowser({ token: ZALO_TOKEN, webhookSecret: 'browser-webhook-secret-0123' });

  it('signs an approver in with the password, then the authenticator code, and lands on the console home', async () => {
    const approver = await addConsoleAccount(rig.service, 'minh.duyet', 'approver', { totp: true, displayName: 'Nguyễn Văn Minh' });
    const page = await rig.newPage();
    await page.goto('/console');
    expect(new URL(page.url()).pathname).toBe('/console/login');

    await page.getByLabel(rig.t('console:login.username')).fill(approver.username);
    await page.getByLabel(rig.t('console:login.password')).fill(approver.password);
    await page.getByRole('button', { name: rig.t('console:login.submit') }).click();
    const codeField = page.getByLabel(rig.t('console:code.label'));
    await codeField.waitFor();
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('lp_session');

    // A code the app does not show is refused, and the form is offered again.
    await codeField.fill(wrongCode(approver.secret!));
    await page.getByRole('button', { name: rig.t('console:code.submit') }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), wait).toBe(rig.t('console:code.wrong'));

    await page.getByLabel(rig.t('console:code.label')).fill(currentCode(approver));
    await page.getByRole('button', { name: rig.t('console:code.submit') }).click();
    await page.waitForURL((url) => url.pathname === '/console');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(rig.t('console:home.title'));
    expect(await page.locator('main').textContent()).toContain(
      rig.t('console:home.signedInAs', { name: 'Nguyễn Văn Minh', username: approver.username, role: rig.t('console:roles.approver') }),
    );
    const session = (await page.context().cookies()).find((c) => c.name === 'lp_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });

    const { redis, prefix } = rig.service.datastore;
    const logins = (await new AuditLog(redis, prefix).latest(200)).filter((e) => e.subject === `user:${approver.username}` && e.action === 'console.login');
    expect(logins.map((e) => e.details.secondFactor)).toEqual([true]);
  }, BROWSER_TIMEOUTS.flow);

  it('lets an approver approve a staff draft in the browser; the group gets it on Zalo and the occurrence page says sent', async () => {
    const tag = `tdp-${randomBytes(3).toString('hex')}`;
    const chatId = `grp-browser-${randomBytes(3).toString('hex')}`;
    const registered = await rig.service.groups.register({ platform: 'zalo', chatId, name: 'Tổ dân phố 9', tags: [tag] }, 'test');
    await rig.service.groups.approve(registered.id, 'test');
    const staff = await addConsoleAccount(rig.service, 'lan.staff', 'staff');
    const text = `Mời bà con dự họp tổ dân phố lúc 19:00, lần ${randomBytes(3).toString('hex')}.`;
    const at = `${new Date().getFullYear() + 1}-03-10 09:00`;
    const draft = (await rig.service.broadcasts.create(
      { title: 'Họp tổ dân phố 9', timing: { kind: 'once', at }, target: { kind: 'tags', tags: [tag] }, content: { kind: 'text', text: { vi: text } } },
      { name: staff.username, role: 'staff' },
    ))!;

    const approver = await addConsoleAccount(rig.service, 'hoa.duyet', 'approver', { totp: true });
    const page = await rig.newPage();
    await signInThroughPages(page, approver);
    await page.goto('/console/broadcasts?lang=vi');
    await page.getByRole('link', { name: 'Họp tổ dân phố 9' }).click();
    await page.waitForURL((url) => url.pathname === `/console/broadcasts/${draft.id}`);
    expect(await page.locator('main').textContent()).toContain(text);

    await page.getByRole('button', { name: rig.t('broadcasts:actions.approve'), exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('notice') === 'approve');
    expect(await page.locator('main dl').textContent()).toContain(rig.t('broadcasts:status.approved'));
    const schedule = await rig.service.broadcasts.get(draft.id, { name: staff.username, role: 'staff' });
    expect(schedule).toMatchObject({ status: 'approved', approvedBy: approver.username });

    // Approval armed a delayed trigger for next year's 09:00; promoting that very job fires the occurrence now.
    const trigger = (await rig.service.broadcasts.deps.triggers.queue.getJob(`once.${draft.id}`))!;
    expect(await trigger.isDelayed()).toBe(true);
    await trigger.promote();
    await expect.poll(() => rig.fake.sent.filter((s) => s.chatId === chatId).map((s) => s.text), wait).toEqual([expect.stringContaining(text)]);

    await page.goto(`/console/broadcasts/${draft.id}?lang=vi`);
    await page.locator(`a[href^="/console/broadcasts/occurrences/${draft.id}."]`).click();
    await page.waitForURL((url) => url.pathname.startsWith('/console/broadcasts/occurrences/'));
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('main li.card').allTextContents();
      }, wait)
      .toEqual([expect.stringMatching(new RegExp(`Tổ dân phố 9\\s*${rig.t('console:staff.deliveryStatus.sent')}`))]);
  }, BROWSER_TIMEOUTS.flow);
});
