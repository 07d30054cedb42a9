import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { zaloUpdate } from '../fakes/zalo-bot-fake.js';
import { addConsoleAccount, BROWSER_TIMEOUTS, describeInBrowser, signInThroughPages, zaloConsoleInBrowser, type ConsoleAccount } from '../support/browser.js';

const ZALO_TOKEN = '1618033988:ZaloBotBrowserTips';
const WEBHOOK_SECRET = 'browser-tips-secret-0123456789';
const CODE = /Mã biên nhận của bạn: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/;
const XSS = `<script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;
const wait = { timeout: 30_000, interval: 100 };

describeInBrowser('the console in Chromium: the police and their tips', () => {
  // A tip conversation is many quick messages in one chat: the production per-chat pace would only slow the test.
  const rig = zaloConsoleInBrowser({ token: ZALO_TOKEN, webhookSecret: WEBHOOK_SECRET }, { ZALO_BOT_PRIVATE_PER_MINUTE: '1000' });

  /** A police officer with a second factor, signed in through the pages in a browser context of their own. */
  async function policePage(stem: string): Promise<{ page: Page; officer: ConsoleAccount }> {
    const officer = await addConsoleAccount(rig.service, stem, 'police', { totp: true });
    const page = await rig.newPage();
    await signInThroughPages(page, officer);
    return { page, officer };
  }

  const sentTo = (chatId: string) => rig.fake.sent.filter((s) => s.chatId === chatId).map((s) => s.text ?? '');

  /** The tipster writes to the bot on Zalo; the bot's one answer. */
  async function say(chatId: string, text: string): Promise<string> {
    const before = sentTo(chatId).length;
    const answer = await fetch(`${rig.service.baseUrl}/webhooks/zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': WEBHOOK_SECRET },
      body: JSON.stringify(zaloUpdate({ chatId, text })),
    });
    expect(answer.status).toBe(200);
    await expect.poll(() => sentTo(chatId).length, wait).toBe(before + 1);
    return sentTo(chatId).at(-1)!;
  }

  /** Submits one of the tip page's forms and waits for the page it redirects to, with the notice it asks for. */
  async function submitted(page: Page, button: string, done: string): Promise<void> {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === done);
    expect(await page.getByRole('status').textContent()).toBe(rig.t(`console:police.done.${done}`));
  }

  it('a tip sent on Zalo is claimed, triaged, noted and answered in the browser, and the tipster gets the answer on Zalo', async () => {
    const chatId = `u-tipster-${randomBytes(4).toString('hex')}`;
    const what = `Hai thanh niên bán gói nhỏ cho học sinh sau giờ tan trường, lần ${randomBytes(3).toString('hex')}`;
    for (const answer of ['/togiac', '1', 'Hẻm 5 Lê Lợi, gần cổng trường', 'chiều thứ sáu', what, '0']) await say(chatId, answer);
    const code = CODE.exec(await say(chatId, '1'))![1]!;
    const tipId = (await rig.service.tips.view(code, { kind: 'chat', platform: 'zalo', chatId })).id;

    const { page, officer } = await policePage('cs.hung');
    await page.goto('/console/tips?lang=vi');
    await page.getByRole('link', { name: tipId, exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/console/tips/${tipId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(tipId);
    expect(await page.locator('dd.text').allTextContents()).toEqual(['Hẻm 5 Lê Lợi, gần cổng trường', 'chiều thứ sáu', what]);

    await submitted(page, rig.t('console:police.actions.claimSubmit'), 'claimed');
    await page.getByLabel(rig.t('console:police.fields.status'), { exact: true }).selectOption('in-progress');
    await submitted(page, rig.t('console:police.actions.statusSubmit'), 'status');
    await page.getByLabel(rig.t('console:police.fields.priority'), { exact: true }).selectOption('high');
    await submitted(page, rig.t('console:police.actions.prioritySubmit'), 'priority');
    await page.getByLabel(rig.t('console:police.actions.noteLabel')).fill('Đã chuyển tổ trinh sát theo dõi cổng trường.');
    await submitted(page, rig.t('console:police.actions.noteSubmit'), 'note');
    const reply = 'Cảm ơn bạn. Công an phường đã cử người xác minh; bạn có nhớ biển số xe không?';
    await page.getByLabel(rig.t('console:police.actions.replyLabel')).fill(reply);
    await submitted(page, rig.t('console:police.actions.replySubmit'), 'reply-chat');

    const facts = await page.locator('dl.facts').first().textContent();
    expect(facts).toContain(`${rig.t('console:police.fields.claimedBy')}${officer.username}`);
    expect(facts).toContain(`${rig.t('console:police.fields.status')}${rig.t('console:police.status.in-progress')}`);
    expect(facts).toContain(`${rig.t('console:police.fields.priority')}${rig.t('console:police.priority.high')}`);
    expect(await page.locator('ol.cards li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Đã chuyển tổ trinh sát theo dõi cổng trường.'), expect.stringContaining(reply)]),
    );
    expect(await rig.service.tips.deps.store.record(tipId)).toMatchObject({ claimedBy: officer.username, status: 'in-progress', priority: 'high' });

    // The answer reaches the tipster's Zalo chat, and their follow-up reaches the officer's page.
    await expect.poll(() => sentTo(chatId).at(-1), wait).toMatch(new RegExp(`^Công an phường đã trả lời tố giác của bạn:\\n\\n${reply.replace(/[.?]/g, '\\$&')}`));
    expect(await say(chatId, `/ma ${code} Xe máy Wave màu đỏ, biển 29X1`)).toMatch(/^Đã thêm vào tố giác của bạn/);
    await page.reload();
    const thread = page.locator('ol.cards li.tipster');
    expect(await thread.allTextContents()).toEqual([expect.stringMatching(new RegExp(`^${rig.t('console:police.tip.from.tipster')} · .*Xe máy Wave màu đỏ, biển 29X1$`, 's'))]);
    expect((await rig.service.tips.read(tipId, { name: officer.username, role: 'police' })).notes).toHaveLength(1);
  }, BROWSER_TIMEOUTS.flow);

  it('renders hostile tip text and notes as text: nothing runs, no dialog opens, the characters show as typed', async () => {
    const id = (
      await rig.service.tips.submit(
        { category: 'trade', where: `Ngõ 7 ${XSS}`, when: 'tối qua', what: `Có người bán ma túy ${XSS}` },
        { kind: 'web', address: randomBytes(8).toString('hex'), locale: 'vi' },
      )
    ).id;
    const { page } = await policePage('cs.lan');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const ranScript = () => page.evaluate(() => (globalThis as { __xss?: unknown }).__xss);

    await page.goto(`/console/tips?lang=vi&id=${encodeURIComponent(XSS)}`);
    expect(await page.locator('#f-id').inputValue()).toBe(XSS);
    expect(await ranScript()).toBeUndefined();
    await page.goto(`/console/tips/${id}?lang=vi`);
    await page.getByLabel(rig.t('console:police.actions.noteLabel')).fill(`Ghi chú ${XSS}`);
    await submitted(page, rig.t('console:police.actions.noteSubmit'), 'note');
    await page.getByLabel(rig.t('console:police.actions.replyLabel')).fill(`Trả lời ${XSS}`);
    await submitted(page, rig.t('console:police.actions.replySubmit'), 'reply');

    expect(await page.locator('dd.text').allTextContents()).toEqual([`Ngõ 7 ${XSS}`, 'tối qua', `Có người bán ma túy ${XSS}`]);
    const cards = await page.locator('ol.cards li p.text').allTextContents();
    expect(cards).toEqual(expect.arrayContaining([`Ghi chú ${XSS}`, `Trả lời ${XSS}`]));
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await ranScript()).toBeUndefined();
    expect(dialogs).toEqual([]);
  }, BROWSER_TIMEOUTS.flow);
});
