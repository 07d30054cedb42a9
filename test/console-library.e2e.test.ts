import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/accounts/actor.js';
import { wallClock } from '../src/platform/time-zone.js';
import { signedIn, type ConsoleBrowser } from './support/console.js';
import { startTestService, type TestService } from './support/service.js';

let service: TestService;
let lan: ConsoleBrowser;
let police: ConsoleBrowser;
const staffActor: Actor = { name: 'lan', role: 'staff' };

const CAMPAIGN = '2026-thang-hanh-dong';
const OPENING = 'khai-mac-thang-hanh-dong';
const NEXT_YEAR = new Date().getFullYear() + 1;

/** The `<td>` of one day in a month view. */
function dayCell(body: string, date: string): string {
  const cell = new RegExp(`<td id="day-${date}"[^>]*>([\\s\\S]*?)</td>`).exec(body);
  expect(cell, date).not.toBeNull();
  return cell![0];
}

/** A draft broadcast to one fresh approved sandbox group; drafts show on the calendar as they are. */
async function draft(title: string, timing: Record<string, string>): Promise<string> {
  const tag = `tdp-${randomBytes(3).toString('hex')}`;
  const group = await service.groups.register({ platform: 'sandbox', chatId: `chat-${randomBytes(4).toString('hex')}`, name: 'Tổ dân phố 3', tags: [tag] }, 'test');
  await service.groups.approve(group.id, 'test');
  const created = await service.broadcasts.create({ title, timing, target: { kind: 'tags', tags: [tag] }, content: { kind: 'text', text: { vi: 'Họp tổ dân phố.' } } }, staffActor);
  return created!.id;
}

beforeAll(async () => {
  service = await startTestService({ WARD_NAME: 'Phường Thử Nghiệm', WARD_NAME_EN: 'Test Ward', WARD_POLICE_PHONE: '0225 3846 999' });
  lan = await signedIn(service, 'lan', 'staff');
  police = await signedIn(service, 'cs.binh', 'police');
});

afterAll(async () => {
  await service?.stop();
});

describe('content library and calendar: who may open them', () => {
  const pages = ['/console/content', '/console/content/qa', `/console/content/${CAMPAIGN}/${OPENING}`, '/console/content/qa/cach-to-giac', '/console/calendar'];

  it('refuses every page to a police account and sends a browser without a session to sign in', async () => {
    for (const path of pages) {
      const refused = await police.get(`${path}?lang=en`);
      expect(refused.status, path).toBe(403);
      expect(refused.body).toContain('Your account may not see this page.');
      const anonymous = await fetch(`${service.baseUrl}${path}?lang=en`, { redirect: 'manual' });
      expect(anonymous.status, path).toBe(303);
      expect(anonymous.headers.get('location')).toBe('/console/login?lang=en');
    }
  });

  it('lists both pages in the staff menu', async () => {
    const page = await lan.get('/console/content?lang=vi');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.body).toContain('<a href="/console/content?lang=vi" aria-current="page">Thư viện nội dung</a>');
    expect(page.body).toContain('<a href="/console/calendar?lang=vi">Lịch chiến dịch</a>');
    expect(page.body).not.toContain('<script');
  });
});

describe('content library', () => {
  it('lists every campaign with its messages, and filters by campaign, topic and audience, ignoring values it does not know', async () => {
    const all = await lan.get('/console/content?lang=en');
    expect(all.body).toContain('<h2 id="c-2026-thang-hanh-dong">2026 Action Month for Drug Prevention and Control</h2>');
    expect(all.body).toContain('United in determination to build a drug-free ward');
    expect(all.body).toContain('2026-06-01 to 2026-06-30');
    expect(all.body).toContain('<a href="/console/content/2026-kkt-hai-phong/kkt-khai-mac?lang=en">kkt-khai-mac</a>');
    expect(all.body).toContain(`<a href="/console/content/${CAMPAIGN}/${OPENING}?lang=en">${OPENING}</a>`);
    expect(all.body).toContain('Campaign · Residents, Students and parents, Workers · 2026-06-01 to 2026-06-07 · tags: thang-hanh-dong, chu-de');
    expect(all.body).toContain('<a href="/console/calendar?lang=en&amp;month=2026-06">See it on the campaign calendar</a>');

    const reporting = await lan.get(`/console/content?lang=en&campaign=${CAMPAIGN}&topic=reporting&audience=residents`);
    expect(reporting.status).toBe(200);
    expect(reporting.body).not.toContain('kkt-khai-mac');
    expect(reporting.body).not.toContain(`>${OPENING}</a>`);
    expect(reporting.body).toContain('>to-giac-vi-sao-01</a>');
    expect(reporting.body).toContain('<option value="reporting" selected>Reporting</option>');

    const nonsense = await lan.get('/console/content?lang=en&campaign=<x>&topic=nope&audience=');
    expect(nonsense.status).toBe(200);
    expect(nonsense.body).toContain('kkt-khai-mac');
    expect(nonsense.body).toContain(`>${OPENING}</a>`);
    expect(nonsense.body).not.toContain('<x>');
  });

  it('previews a message in both languages on Zalo and Telegram with the ward filled in, split as it will be sent', async () => {
    const page = await lan.get(`/console/content/${CAMPAIGN}/${OPENING}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<h1>${OPENING}</h1>`);
    expect(page.body).toContain('Kế hoạch triển khai Tháng hành động phòng, chống ma túy năm 2026 trên địa bàn phường Lê Chân');
    expect(page.body).toContain('<dt>Planned sends</dt><dd>2026-06-01 07:30</dd>');
    expect(page.body).not.toContain('{{');

    const content = { kind: 'message' as const, campaign: CAMPAIGN, message: OPENING };
    for (const locale of ['vi', 'en'] as const) {
      const text = service.broadcasts.deps.content.render(content, OPENING, locale)!;
      expect(text).toContain(locale === 'vi' ? 'Kính gửi bà con Phường Thử Nghiệm!' : 'Dear residents of Test Ward!');
      const bubbles = page.body.split(`<div class="bubble" lang="${locale}">`).length - 1;
      expect(bubbles, locale).toBe(2);
      expect(page.body).toContain(`Message 1 of 1: ${text.length} of 2000 characters`);
      expect(page.body).toContain(`Message 1 of 1: ${text.length} of 4096 characters`);
    }
    expect(page.body).toContain('📢 Dear residents of Test Ward!');
    expect(page.body).toContain('📢 Kính gửi bà con Phường Thử Nghiệm!');
    expect(page.body.match(/<h4>Zalo<\/h4>\n<p class="count">Messages sent: 1<\/p>/g)).toHaveLength(2);
    expect(page.body.match(/<h4>Telegram<\/h4>\n<p class="count">Messages sent: 1<\/p>/g)).toHaveLength(2);

    const vi = await lan.get(`/console/content/${CAMPAIGN}/${OPENING}?lang=vi`);
    expect(vi.body).toContain('Xem trước như trên Zalo và Telegram');
    expect(vi.body).toContain('Số tin gửi: 1');
  });

  it('lists the questions and answers and shows an answer rendered with the ward police number', async () => {
    const list = await lan.get('/console/content/qa?lang=en');
    expect(list.status).toBe(200);
    expect(list.body).toContain('<a href="/console/content/qa/cach-to-giac?lang=en">How do I report someone selling drugs?</a>');

    const entry = await lan.get('/console/content/qa/cach-to-giac?lang=vi');
    expect(entry.status).toBe(200);
    expect(entry.body).toContain('<li>Tôi muốn báo công an có người bán ma túy thì làm sao?</li>');
    expect(entry.body).toContain('Gọi 0225 3846 999 hoặc đến');
    expect(entry.body).toContain('Call 0225 3846 999 or go to');
    expect(entry.body).not.toContain('{{police_phone}}');
  });

  it('answers unknown ids with a 404 page in the user language', async () => {
    for (const [path, text] of [
      [`/console/content/${CAMPAIGN}/khong-co-tin-nay?lang=en`, 'There is no such page.'],
      ['/console/content/khong-co/khai-mac-thang-hanh-dong?lang=en', 'There is no such page.'],
      ['/console/content/qa/khong-co?lang=vi', 'Không có trang này.'],
      ['/console/content/Bad_Id/x?lang=vi', 'Không có trang này.'],
      ['/console/calendar/2026-06?lang=en', 'There is no such page.'],
    ]) {
      const answer = await lan.get(path!);
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('content-type'), path).toContain('text/html');
      expect(answer.body, path).toContain(text!);
    }
  });
});

describe('campaign calendar', () => {
  it('shows the campaign month: weekday headers from Monday, planned messages linked to their preview, key dates marked', async () => {
    const page = await lan.get('/console/calendar?month=2026-06&lang=en');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<caption>June 2026</caption>');
    expect(page.body).toMatch(/<thead><tr><th scope="col"><abbr title="Monday">Mon<\/abbr><\/th><th scope="col"><abbr title="Tuesday">/);
    expect(page.body).toContain('href="/console/calendar?lang=en&amp;month=2026-05" rel="prev"');
    expect(page.body).toContain('href="/console/calendar?lang=en&amp;month=2026-07" rel="next"');

    const opening = dayCell(page.body, '2026-06-01');
    expect(opening).toContain(`<a href="/console/content/${CAMPAIGN}/${OPENING}?lang=en">07:30 ${OPENING}</a>`);
    expect(opening).toContain('<li class="mark mark-event"><span class="kind">Event:</span> Start of the 2026 Action Month');
    const keyDay = dayCell(page.body, '2026-06-26');
    expect(keyDay).toContain('<li class="mark mark-key-date"><span class="kind">Key day:</span> National Day for Drug Prevention and Control</li>');
    expect(keyDay.match(/mark-key-date/g)).toHaveLength(1);
    expect(dayCell((await lan.get('/console/calendar?month=2026-07&lang=en')).body, '2026-07-01')).toContain('<span class="kind">Report deadline:</span>');

    const vi = await lan.get('/console/calendar?month=2026-06&lang=vi');
    expect(vi.body).toContain('<caption>Tháng 6 năm 2026</caption>');
    expect(dayCell(vi.body, '2026-06-26')).toContain('<span class="kind">Ngày trọng điểm:</span> Ngày toàn dân phòng, chống ma túy');
  });

  it('puts a broadcast on its day at its ward time, its hostile title escaped, linked to the broadcast', async () => {
    // 06:45 in Hà Nội is 23:45 UTC the day before: the day must be the ward's.
    const id = await draft('<script>alert(1)</script>', { kind: 'once', at: `${NEXT_YEAR}-03-10 06:45` });
    const page = await lan.get(`/console/calendar?month=${NEXT_YEAR}-03&lang=en`);
    expect(page.status).toBe(200);
    const cell = dayCell(page.body, `${NEXT_YEAR}-03-10`);
    expect(cell).toContain(`<a href="/console/broadcasts/${id}?lang=en">06:45 &lt;script&gt;alert(1)&lt;/script&gt;</a> (draft)`);
    expect(dayCell(page.body, `${NEXT_YEAR}-03-09`)).not.toContain(id);
    expect(page.body).not.toContain('<script>');
  });

  it('caps what a day shows when a schedule repeats through it', async () => {
    const id = await draft('Nhắc mỗi 10 phút', { kind: 'cron', pattern: '*/10 7-20 * * *', from: `${NEXT_YEAR}-04-10 00:00`, until: `${NEXT_YEAR}-04-10 23:59` });
    const page = await lan.get(`/console/calendar?month=${NEXT_YEAR}-04&lang=en`);
    const cell = dayCell(page.body, `${NEXT_YEAR}-04-10`);
    expect(cell.split(`/console/broadcasts/${id}?lang=en`).length - 1).toBe(4);
    expect(cell).toContain('07:00 Nhắc mỗi 10 phút');
    expect(cell).toContain('<p class="more">and at least 20 more</p>');
    expect(dayCell(page.body, `${NEXT_YEAR}-04-11`)).not.toContain(id);
  });

  it("opens on this month on the ward clock with today's cell marked, and shows this month with a notice for a month it cannot read", async () => {
    const before = wallClock(new Date(), service.config.timeZone).date;
    const page = await lan.get('/console/calendar?lang=en');
    const after = wallClock(new Date(), service.config.timeZone).date;
    expect(page.status).toBe(200);
    const today = /<td id="day-(\d{4}-\d{2}-\d{2})" class="today[^"]*" aria-current="date">/.exec(page.body)?.[1];
    expect([before, after]).toContain(today);
    expect(page.body.match(/aria-current="date"/g)).toHaveLength(1);

    const bad = await lan.get('/console/calendar?month=2026-13&lang=en');
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('The month asked for cannot be read; write it as 2026-06. This month is shown instead.');
    expect(bad.body).toMatch(/aria-current="date"/);
  });
});
