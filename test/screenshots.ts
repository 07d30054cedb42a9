/**
 * `npm run screenshots`: starts the whole service on the local Redis under a throw-away key prefix, seeds it with a
 * ward's worth of demo data (accounts, groups, broadcasts with a delivered occurrence, tips with a conversation) and
 * writes PNGs of the console's main pages to docs/screenshots/ for the README. Needs Redis on 127.0.0.1:6379 and
 * Debian's Chromium; leaves no keys behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import type { Actor } from '../src/accounts/actor.js';
import type { Role } from '../src/accounts/schemas.js';
import { UserStore } from '../src/accounts/user-store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { SandboxStore } from '../src/channels/sandbox/sandbox-store.js';
import { SESSION_COOKIE } from '../src/console/auth/cookies.js';
import { Sessions } from '../src/console/auth/sessions.js';
import { loadConfig } from '../src/platform/config.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { createLogger } from '../src/platform/logger.js';
import { packageRoot } from '../src/platform/paths.js';
import { instantOf, wallClock } from '../src/platform/time-zone.js';
import { startService, type Service } from '../src/service.js';
import { CHROMIUM_PATH, launchChromium } from './support/browser.js';
import { deleteKeys } from './support/keys.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const OUT_DIR = join(packageRoot, 'docs', 'screenshots');
const PASSWORD = 'mật khẩu demo đủ dài';
const VIEWPORT = { width: 1024, height: 768 };
/** Long pages (the audit log) are cut here: the README shows what a page looks like, not all of it. */
const MAX_HEIGHT = 2400;

const PEOPLE: Record<string, { displayName: string; role: Role }> = {
  'quan.tri': { displayName: 'Trần Văn Quân', role: 'admin' },
  'lan.canbo': { displayName: 'Nguyễn Thị Lan', role: 'staff' },
  'minh.duyet': { displayName: 'Lê Văn Minh', role: 'approver' },
  'cs.hung': { displayName: 'Phạm Văn Hùng', role: 'police' },
  'cs.mai': { displayName: 'Đỗ Thị Mai', role: 'police' },
};
const actor = (name: keyof typeof PEOPLE): Actor => ({ name, role: PEOPLE[name]!.role });

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = await check();
    if (found !== undefined) return found;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function seedGroups(service: Service): Promise<void> {
  const groups: [string, string[], 'approved' | 'pending' | 'paused'][] = [
    ['Tổ dân phố 1 — Khu A', ['tdp-1', 'khu-a'], 'approved'],
    ['Tổ dân phố 2 — Khu A', ['tdp-2', 'khu-a'], 'approved'],
    ['Tổ dân phố 3 — Khu B', ['tdp-3', 'khu-b'], 'approved'],
    ['Chi hội phụ nữ khu B', ['khu-b'], 'paused'],
    ['Tổ dân phố 4 — Khu C', [], 'pending'],
  ];
  for (const [n, [name, tags, status]] of groups.entries()) {
    const group = await service.groups.register({ platform: 'sandbox', chatId: `group-demo-${n + 1}`, name, tags }, 'demo');
    if (status === 'pending') continue;
    await service.groups.approve(group.id, 'demo');
    if (status === 'paused') await service.groups.pause(group.id, 'demo');
  }
}

/** A delivered library message (the detail page's subject), a weekly reminder and a draft waiting for approval. */
async function seedBroadcasts(service: Service): Promise<string> {
  const year = new Date().getFullYear() + 1;
  const message = { kind: 'message', campaign: '2026-thang-hanh-dong', message: 'nhac-to-giac-hang-tuan' } as const;
  const delivered = (await service.broadcasts.create(
    { title: 'Nhắc tố giác đầu tuần', timing: { kind: 'once', at: `${year}-03-10 09:00` }, target: { kind: 'tags', tags: ['khu-a'] }, content: message },
    actor('lan.canbo'),
  ))!;
  await service.broadcasts.approve(delivered.id, actor('minh.duyet'));
  await service.broadcasts.deps.triggers.fire(delivered.id, new Date(delivered.timing.kind === 'once' ? delivered.timing.at : 0), `demo-${delivered.id}`);
  const weekly = (await service.broadcasts.create(
    { title: 'Thông điệp phòng chống ma túy hằng tuần', timing: { kind: 'cron', pattern: '0 8 * * 1' }, target: { kind: 'all' }, content: message },
    actor('lan.canbo'),
  ))!;
  await service.broadcasts.approve(weekly.id, actor('minh.duyet'));
  // The last four Mondays' runs, so that the dashboard's charts have weeks of deliveries to show.
  for (const weeksAgo of [1, 2, 3, 4]) {
    const monday = new Date(Date.now() - ((new Date().getUTCDay() + 6) % 7) * 24 * 3600_000 - weeksAgo * 7 * 24 * 3600_000);
    const at = instantOf(monday.toISOString().slice(0, 10), '08:00', service.config.timeZone);
    await service.broadcasts.deps.triggers.fire(weekly.id, at, `demo-${weekly.id}-${weeksAgo}`);
  }
  await service.broadcasts.create(
    {
      title: 'Mời họp tổ dân phố 3',
      timing: { kind: 'once', at: `${year}-04-02 19:30` },
      target: { kind: 'tags', tags: ['tdp-3'] },
      content: { kind: 'text', text: { vi: 'Mời bà con tổ dân phố 3 dự họp lúc 19:30 tại nhà văn hóa khu B.', en: 'Residents of block 3 are invited to a meeting at 19:30 at the block B hall.' } },
    },
    actor('lan.canbo'),
  );
  await until('the delivered occurrence', async () => {
    const { occurrences } = await service.broadcasts.status(delivered.id, actor('lan.canbo'));
    const summary = occurrences[0]?.summary;
    return summary && summary.sent > 0 && summary.queued + summary.sending === 0 ? true : undefined;
  });
  return delivered.id;
}

/** A tip sent in the sandbox chat, answered by the police and followed up by the tipster; a few web tips around it. */
async function seedTips(service: Service): Promise<string> {
  const sandbox = new SandboxStore(service.datastore.redis, service.datastore.prefix);
  const chatId = 'private-demo-tipster';
  const say = async (text: string): Promise<string> => {
    const before = (await sandbox.transcript(chatId)).length;
    await service.channels.inbox.accept({
      platform: 'sandbox', updateId: randomBytes(8).toString('hex'), chat: { id: chatId, kind: 'private' }, sender: { id: chatId }, kind: 'text', text, sentAt: Date.now(),
    });
    return until('the bot to answer', async () => {
      const transcript = await sandbox.transcript(chatId);
      return transcript.length > before ? transcript.at(-1)!.text : undefined;
    });
  };
  for (const answer of ['/togiac', '1', 'Hẻm 5 Lê Lợi, gần cổng trường THCS', 'khoảng 17 giờ các ngày trong tuần', 'Hai thanh niên đi xe máy đỏ đưa gói nhỏ cho học sinh sau giờ tan trường.', '0']) {
    await say(answer);
  }
  const code = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(await say('1'))![1]!;
  const id = (await service.tips.view(code, { kind: 'chat', platform: 'sandbox', chatId })).id;
  const hung = actor('cs.hung');
  await service.tips.claim(id, hung);
  await service.tips.change(id, { status: 'in-progress', priority: 'high' }, hung);
  await service.tips.note(id, 'Đã giao tổ trinh sát theo dõi cổng trường từ thứ Hai.', hung);
  await service.tips.reply(id, 'Cảm ơn bạn. Công an phường đã cử người xác minh. Bạn có nhớ biển số xe không?', hung);
  await until('the reply in the chat', async () => ((await sandbox.transcript(chatId)).some((e) => e.text.startsWith('Công an phường đã trả lời')) ? true : undefined));
  await say(`/ma ${code} Xe Wave màu đỏ, biển số có 29X1.`);

  const web = (what: string, category: 'trade' | 'use-place' | 'online' | 'other', where: string) =>
    service.tips.submit({ category, where, when: 'tối qua', what }, { kind: 'web', address: randomBytes(8).toString('hex'), locale: 'vi' });
  const urgent = await web('Có nhóm người tụ tập sử dụng ma túy trong căn nhà bỏ hoang, nhiều đêm liền.', 'use-place', 'Nhà số 12 ngõ 40 Trần Phú');
  await service.tips.change(urgent.id, { priority: 'urgent' }, actor('cs.mai'));
  await service.tips.claim(urgent.id, actor('cs.mai'));
  await web('Một tài khoản mạng xã hội rao bán "kẹo" giao tận nơi cho học sinh.', 'online', 'Nhóm Facebook chợ khu B');
  const old = await web('Người lạ hay đến phòng trọ cuối dãy vào ban đêm, ở lại vài phút rồi đi.', 'trade', 'Dãy trọ số 7 đường Nguyễn Trãi');
  await service.tips.deps.store.update(old.id, { createdAt: new Date(Date.now() - 2 * 24 * 3600_000).toISOString() });
  const closed = await web('Quán karaoke mở quá giờ, có mùi lạ.', 'other', 'Karaoke đường Lê Lai');
  await service.tips.change(closed.id, { status: 'closed' }, hung);
  return id;
}

async function shoot(browser: Browser, service: Service, baseUrl: string, shots: [file: string, path: string, as?: string][]): Promise<void> {
  const { redis, prefix } = service.datastore;
  const box = new SealedBox(loadKeyring(service.config.secrets, createLogger('silent')));
  const sessions = new Sessions(redis, prefix, box, new UserStore(redis, prefix, new AuditLog(redis, prefix)));
  for (const [file, path, as] of shots) {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: VIEWPORT, locale: 'vi-VN', timezoneId: service.config.timeZone });
    if (as) await context.addCookies([{ name: SESSION_COOKIE, value: await sessions.create(as), url: `${baseUrl}/console` }]);
    const page = await context.newPage();
    const response = await page.goto(path);
    if (response?.status() !== 200) throw new Error(`${path} answered ${response?.status()} for ${as ?? 'nobody'}`);
    const height = Math.min(MAX_HEIGHT, Number(await page.evaluate('document.documentElement.scrollHeight')));
    await page.screenshot({ path: join(OUT_DIR, file), fullPage: true, clip: { x: 0, y: 0, width: VIEWPORT.width, height } });
    await context.close();
    console.log(`docs/screenshots/${file}`);
  }
}

async function main(): Promise<void> {
  const prefix = `lpshots-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    REDIS_URL,
    REDIS_PREFIX: prefix,
    PORT: '0',
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    HMAC_SECRET: randomBytes(32).toString('base64'),
    // Where residents would find the tip form, as the messages in the previews say.
    PUBLIC_URL: 'https://loaphuong.example.vn',
  });
  const service = await startService(config, createLogger('silent'), 'serve');
  let browser: Browser | undefined;
  try {
    const users = new UserStore(service.datastore.redis, prefix, new AuditLog(service.datastore.redis, prefix));
    for (const [username, { displayName, role }] of Object.entries(PEOPLE)) await users.add({ username, displayName, role, password: PASSWORD }, 'demo');
    await seedGroups(service);
    const broadcastId = await seedBroadcasts(service);
    const tipId = await seedTips(service);

    const today = wallClock(new Date(), config.timeZone).date;
    const monthAgo = wallClock(new Date(Date.now() - 29 * 24 * 3600_000), config.timeZone).date;
    mkdirSync(OUT_DIR, { recursive: true });
    browser = await launchChromium();
    await shoot(browser, service, `http://127.0.0.1:${service.http!.port}`, [
      ['login.png', '/console/login?lang=vi'],
      ['home.png', '/console?lang=vi', 'quan.tri'],
      ['content.png', '/console/content?lang=vi', 'lan.canbo'],
      ['content-preview.png', '/console/content/2026-thang-hanh-dong/nhac-to-giac-hang-tuan?lang=vi', 'lan.canbo'],
      ['calendar.png', '/console/calendar?lang=vi&month=2026-06', 'lan.canbo'],
      ['report.png', `/console/reports?lang=vi&from=${monthAgo}&to=${today}`, 'minh.duyet'],
      ['report-print.png', `/console/reports/export?lang=vi&format=html&from=${monthAgo}&to=${today}`, 'minh.duyet'],
      ['broadcasts.png', '/console/broadcasts?lang=vi', 'lan.canbo'],
      ['broadcast-detail.png', `/console/broadcasts/${broadcastId}?lang=vi`, 'lan.canbo'],
      ['groups.png', '/console/groups?lang=vi', 'lan.canbo'],
      ['tip-queue.png', '/console/tips?lang=vi', 'cs.hung'],
      ['tip.png', `/console/tips/${tipId}?lang=vi`, 'cs.hung'],
      ['users.png', '/console/users?lang=vi', 'quan.tri'],
      ['audit.png', '/console/audit?lang=vi', 'quan.tri'],
    ]);
  } finally {
    await browser?.close();
    await service.lifecycle.shutdown('screenshots taken');
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await deleteKeys(redis, prefix);
    await redis.quit();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.message.includes(CHROMIUM_PATH) ? `${err.message}\nInstall Debian's chromium package first.` : err);
  process.exitCode = 1;
});
