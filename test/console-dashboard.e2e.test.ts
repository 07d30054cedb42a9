import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/accounts/actor.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { DashboardFigures } from '../src/console/dashboard/dashboard-figures.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { instantOf, wallClock } from '../src/platform/time-zone.js';
import { reportSourcesOn } from '../src/reports/sources.js';
import { shippedLibrary } from './support/broadcasts.js';
import { signedIn, type ConsoleBrowser } from './support/console.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';

const STAFF: Actor = { name: 'lan', role: 'staff' };
const APPROVER: Actor = { name: 'minh', role: 'approver' };
const HOSTILE_GROUP = '<script>alert(1)</script> Tổ 9';
const TIP_TEXT = 'Chuỗi-nhận-diện-tố-giác-9f3c: có người bán ma túy ở hẻm 5';
const DAY_MS = 24 * 3600 * 1000;

let service: TestService;
let staff: ConsoleBrowser;
let police: ConsoleBrowser;
let admin: ConsoleBrowser;
let twoDaysAgo: string;
let today: string;
let tipCode: string;

async function untilSettled(scheduleId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { occurrences } = await service.broadcasts.status(scheduleId, STAFF);
    const summary = occurrences[0]?.summary;
    if (summary && summary.sent === 3 && summary.queued + summary.sending === 0) return;
    await sleep(50);
  }
  throw new Error('the occurrence did not settle');
}

/** The figures table under a chart: the cells of the row for one day ("dd/mm"). */
function rowFor(body: string, heading: string, date: string): string[] {
  const section = body.slice(body.indexOf(heading));
  const day = `${date.slice(8, 10)}/${date.slice(5, 7)}`;
  const row = new RegExp(`<tr><th scope="row">${day}</th>((?:<td>\\d+</td>)+)</tr>`).exec(section)?.[1] ?? '';
  return [...row.matchAll(/<td>(\d+)<\/td>/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  service = await startTestService();
  staff = await signedIn(service, 'lan', 'staff');
  police = await signedIn(service, 'cs.binh', 'police');
  admin = await signedIn(service, 'root', 'admin');
  const now = new Date();
  today = wallClock(now, service.config.timeZone).date;
  twoDaysAgo = wallClock(new Date(now.getTime() - 2 * DAY_MS), service.config.timeZone).date;
  // Mid-morning, so the run is never held back by quiet hours whatever time the test runs at.
  const ranAt = instantOf(twoDaysAgo, '09:00', service.config.timeZone);

  for (const name of ['Tổ 1', 'Tổ 2', HOSTILE_GROUP]) {
    const group = await service.groups.register({ platform: 'sandbox', chatId: `chat-${randomBytes(4).toString('hex')}`, name, tags: [] }, 'test');
    await service.groups.approve(group.id, 'test');
  }
  const schedule = (await service.broadcasts.create(
    { title: 'Nhắc tố giác', timing: { kind: 'once', at: `${new Date().getFullYear() + 1}-03-10 09:00` }, target: { kind: 'all' }, content: { kind: 'text', text: { vi: 'Xin chào', en: 'Hello' } } },
    STAFF,
  ))!;
  await service.broadcasts.approve(schedule.id, APPROVER);
  // An occurrence that ran two days ago, as the trigger would have fired it then.
  await service.broadcasts.deps.triggers.fire(schedule.id, ranAt, `test-${schedule.id}`);
  await untilSettled(schedule.id);
  const tip = await service.tips.submit({ category: 'online', where: 'Hẻm 5', when: 'tối qua', what: TIP_TEXT }, { kind: 'web', address: 'test-address', locale: 'vi' });
  tipCode = tip.code;
});

afterAll(async () => {
  await service?.stop();
});

describe('the console home', () => {
  it('shows staff the broadcasts of the last weeks per day and per group, and nothing of tips', async () => {
    const page = await staff.get('/console?lang=vi');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Tin phát thông báo mỗi ngày');
    // Sent, failed on the day the occurrence ran; nothing today.
    expect(rowFor(page.body, 'Tin phát thông báo mỗi ngày', twoDaysAgo)).toEqual(['3', '0']);
    expect(rowFor(page.body, 'Tin phát thông báo mỗi ngày', today)).toEqual(['0', '0']);
    expect(page.body).toContain('100% (1/1)');
    expect(page.body).not.toContain('Tố giác nhận được mỗi ngày');
    expect(page.body).not.toContain('href="/console/tips');
    // The group's name is people's text: escaped, never markup.
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Tổ 9');
  });

  it('shows the police tips per day by category, and not the broadcasts', async () => {
    const page = await police.get('/console?lang=en');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Tips received per day, by category');
    // Columns: trade, use-place, online, disguised, other.
    expect(rowFor(page.body, 'Tips received per day', today)).toEqual(['0', '0', '1', '0', '0']);
    expect(page.body).not.toContain('Broadcast messages per day');
    expect(page.body).toContain('href="/console/tips?lang=en"');
    expect(page.body).not.toContain(TIP_TEXT);
  });

  it('shows the admin both, with links to every area, as inline SVG readable without scripts', async () => {
    const page = await admin.get('/console?lang=vi');
    expect(page.body).toContain('Tin phát thông báo mỗi ngày');
    expect(page.body).toContain('Tố giác nhận được mỗi ngày');
    for (const path of ['/console/broadcasts', '/console/users', '/console/audit', '/console/queues', '/console/reports']) expect(page.body).toContain(`href="${path}?lang=vi"`);
    expect(page.body).toMatch(/<svg class="plot" viewBox="[^"]+" role="img" aria-label="[^"]+"/);
    expect(page.body).not.toMatch(/<script/i);
  });

  it('lists the campaign milestones ahead, with the days left', async () => {
    const box = new SealedBox(loadKeyring(service.config.secrets, silentLogger()));
    const sources = reportSourcesOn(service.datastore, {
      box,
      audit: new AuditLog(service.datastore.redis, service.datastore.prefix),
      library: await shippedLibrary(),
      config: service.config,
      now: () => new Date('2026-06-20T03:00:00Z'),
    });
    const figures = await new DashboardFigures(sources).forRole('staff');
    const ahead = figures.milestones.map((m) => [m.date, m.kind, m.daysLeft]);
    expect(ahead).toContainEqual(['2026-06-26', 'key-date', 6]);
    expect(ahead).toContainEqual(['2026-07-05', 'report-deadline', 15]);
    expect(ahead.every(([date]) => String(date) >= '2026-06-20' && String(date) <= '2026-08-04')).toBe(true);
    expect(figures.tips).toBeUndefined();
    expect(figures.days).toHaveLength(30);
    expect(figures.days.at(-1)).toBe('2026-06-20');
  });
});

describe('the report page', () => {
  const period = () => `from=${twoDaysAgo}&to=${today}`;

  it('shows the report of a period to every role, with its exports, and nothing of any tip', async () => {
    for (const who of [staff, police]) {
      const page = await who.get(`/console/reports?lang=vi&${period()}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
      for (const numeral of ['I.', 'II.', 'III.']) expect(page.body).toContain(`<h2>${numeral} `);
      expect(page.body).toContain(`/console/reports/export?lang=vi&amp;from=${twoDaysAgo}&amp;to=${today}&amp;format=csv&amp;table=1`);
      expect(page.body).not.toContain(TIP_TEXT);
      expect(page.body).not.toContain(tipCode);
    }
  });

  it('exports the printable page, Markdown and each CSV table', async () => {
    const printable = await staff.get(`/console/reports/export?lang=vi&format=html&${period()}`);
    expect(printable.status).toBe(200);
    expect(printable.body).toContain('@page { size: A4');
    const markdown = await staff.get(`/console/reports/export?lang=en&format=md&${period()}`);
    expect(markdown.headers.get('content-disposition')).toBe(`attachment; filename=loaphuong-report-${twoDaysAgo}-${today}.md`);
    const csv = await staff.get(`/console/reports/export?lang=vi&format=csv&table=1&${period()}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="?loaphuong-report-[\w-]+\.csv"?$/);
    // (fetch's text() drops the byte-order mark the file starts with; the CSV renderer's own test checks it.)
    expect(csv.body.split('\r\n')[0]).toContain(',');
    for (const answer of [printable, markdown, csv]) expect(answer.body).not.toContain(TIP_TEXT);
    expect((await staff.get(`/console/reports/export?lang=vi&format=csv&table=99&${period()}`)).status).toBe(404);
    expect((await staff.get(`/console/reports/export?lang=vi&format=pdf&${period()}`)).status).toBe(422);
  });

  it('refuses half a period, days in the wrong order and an unknown campaign with the form and the reason', async () => {
    const cases: Array<[string, string]> = [
      [`from=${today}`, 'Cần nhập cả từ ngày và đến ngày'],
      [`from=${today}&to=${twoDaysAgo}`, 'Đến ngày không được trước từ ngày'],
      ['campaign=khong-co', 'Không có chiến dịch này'],
      ['from=2026-02-30&to=2026-03-01', 'Cần nhập cả từ ngày và đến ngày'],
    ];
    for (const [query, reason] of cases) {
      const page = await staff.get(`/console/reports?lang=vi&${query}`);
      expect([query, page.status]).toEqual([query, 422]);
      expect(page.body).toContain(reason);
      expect(page.body).toContain('<form method="get" action="/console/reports"');
    }
  });

  it('takes a campaign from the library for its period', async () => {
    const page = await staff.get('/console/reports?lang=en&campaign=2026-thang-hanh-dong');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<option value="2026-thang-hanh-dong" selected>');
    expect(page.body).toContain('/console/reports/export?lang=en&amp;campaign=2026-thang-hanh-dong&amp;format=md');
    expect(page.body).toContain('(From 01/06/2026 to 30/06/2026)');
  });
});
