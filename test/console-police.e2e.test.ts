import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/accounts/schemas.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { SandboxStore } from '../src/channels/sandbox/sandbox-store.js';
import { SESSION_COOKIE } from '../src/console/auth/cookies.js';
import { Sessions } from '../src/console/auth/sessions.js';
import { UserStore } from '../src/accounts/user-store.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import type { NewTip, TipOrigin } from '../src/tips/schemas.js';
import { signedIn, type ConsoleBrowser } from './support/console.js';
import { silentLogger } from './support/redis.js';
import { startTestService, type TestService } from './support/service.js';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>';
const wait = { timeout: 8_000, interval: 50 };

let service: TestService;
let police: ConsoleBrowser;
let audit: AuditLog;

/** Each tip from a sender of its own, so the per-sender limits never get in the way. */
async function submit(tip: Partial<NewTip> = {}, origin?: TipOrigin, photos: Buffer[] = []): Promise<string> {
  const what = tip.what ?? `Bán ma túy ở quán nước đầu ngõ, lần ${randomBytes(4).toString('hex')}`;
  const from: TipOrigin = origin ?? { kind: 'web', address: randomBytes(8).toString('hex'), locale: 'vi' };
  return (await service.tips.submit({ category: 'trade', where: 'Ngõ 12 Lê Lợi', when: 'tối qua', ...tip, what }, from, photos)).id;
}

async function trailOf(id: string) {
  return (await audit.latest(1000)).filter((entry) => entry.subject === `tip:${id}`);
}

/** The tip's page with the notice the redirect after a change asks for. */
async function afterPost(response: { status: number; headers: Headers }, id: string): Promise<string> {
  expect(response.status).toBe(303);
  const location = response.headers.get('location')!;
  expect(location).toMatch(new RegExp(`^/console/tips/${id}\\?lang=vi&done=`));
  const page = await police.get(location);
  expect(page.status).toBe(200);
  return page.body;
}

beforeAll(async () => {
  service = await startTestService();
  police = await signedIn(service, 'cs.hung', 'police');
  audit = new AuditLog(service.datastore.redis, service.datastore.prefix);
});
afterAll(() => service.stop());

describe('the tip queue', () => {
  it('lists tips by priority, then oldest first, with age, marker for old new tips and who handles them', async () => {
    const oldNew = await submit();
    const recent = await submit({ category: 'online' });
    const urgent = await submit();
    await service.tips.change(urgent, { priority: 'urgent' }, { name: 'cs.hung', role: 'police' });
    await service.tips.claim(urgent, { name: 'cs.hung', role: 'police' });
    await service.tips.deps.store.update(oldNew, { createdAt: new Date(Date.now() - 3 * 24 * 3600_000).toISOString() });

    const { status, body, headers } = await police.get('/console/tips?lang=vi');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    const at = (id: string) => body.indexOf(`>${id}<`);
    expect(at(urgent)).toBeGreaterThan(-1);
    expect(at(urgent)).toBeLessThan(at(oldNew));
    expect(at(oldNew)).toBeLessThan(at(recent));

    const card = (id: string) => body.slice(at(id), body.indexOf('</li>', at(id)));
    expect(card(oldNew)).toContain('3 ngày');
    expect(card(oldNew)).toContain('Chưa xử lý quá 24 giờ');
    expect(body.slice(body.lastIndexOf('<li', at(oldNew)), at(oldNew))).toContain('class="stale"');
    expect(card(recent)).toContain('0 phút');
    expect(card(recent)).toContain('bán ma túy trên mạng');
    expect(card(recent)).not.toContain('Chưa xử lý quá 24 giờ');
    expect(card(urgent)).toMatch(/khẩn cấp[\s\S]*cs\.hung/);
    expect(card(recent)).toContain('chưa có');
    expect((await audit.latest(20)).some((e) => e.action === 'tip.listed' && e.actor === 'cs.hung')).toBe(true);
  });

  it('filters by status, category, dates and tip id, in English too', async () => {
    const triaged = await submit({ category: 'disguised' });
    const other = await submit({ category: 'disguised' });
    await service.tips.change(triaged, { status: 'triaged' }, { name: 'cs.hung', role: 'police' });

    const byStatus = (await police.get('/console/tips?lang=vi&status=triaged&category=disguised')).body;
    expect(byStatus).toContain(`>${triaged}<`);
    expect(byStatus).not.toContain(`>${other}<`);
    expect(byStatus).toContain('<option value="triaged" selected>');

    const byId = (await police.get(`/console/tips?lang=en&id=${other.toUpperCase()}`)).body;
    expect(byId).toContain(`>${other}<`);
    expect(byId).toContain('Tips: 1');

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 2 * 24 * 3600_000).toISOString().slice(0, 10);
    expect((await police.get(`/console/tips?lang=vi&from=${today}&to=${tomorrow}&category=disguised`)).body).toContain(`>${triaged}<`);
    const future = (await police.get(`/console/tips?lang=en&from=${tomorrow}&status=&category=`)).body;
    expect(future).toContain('No tips match the filters.');
    expect(future).not.toContain(`>${triaged}<`);
  });

  it('refuses bad filters field by field, in the user language', async () => {
    const { status, body } = await police.get('/console/tips?lang=vi&from=2026-13-01&id=abc&status=nope');
    expect(status).toBe(422);
    expect(body).toContain('Bộ lọc chưa đúng');
    expect(body).toContain('Ngày bắt đầu phải có dạng năm-tháng-ngày');
    expect(body).toContain('Mã tố giác có dạng t-');
    expect(body).toContain('Vui lòng chọn một trạng thái trong danh sách.');
    expect(body).toContain('value="2026-13-01"');
    expect(body).toContain('aria-invalid="true"');
  });
});

describe('a tip page', () => {
  it('shows the decrypted content, its photos without caching, the thread and the audit trail', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#225588' } }).jpeg().toBuffer();
    const id = await submit({ what: 'Có người bán thuốc lá điện tử pha ma túy cho học sinh', where: 'Cổng trường THCS Lê Lợi' }, undefined, [jpeg]);
    const { status, body } = await police.get(`/console/tips/${id}?lang=vi`);
    expect(status).toBe(200);
    expect(body).toContain('Có người bán thuốc lá điện tử pha ma túy cho học sinh');
    expect(body).toContain('Cổng trường THCS Lê Lợi');
    expect(body).toContain(`<img class="photo" src="/console/tips/${id}/photos/0" alt="Ảnh 1 của tố giác">`);
    expect(body).toMatch(/Nhật ký thao tác[\s\S]*tip\.read[\s\S]*tip\.received/);

    const photo = await fetch(`${service.baseUrl}/console/tips/${id}/photos/0`, { headers: { cookie: await sessionCookie('cs.hung') } });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(photo.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await photo.arrayBuffer()).equals(jpeg)).toBe(true);
    expect((await police.get(`/console/tips/${id}/photos/1`)).status).toBe(404);
    expect((await trailOf(id)).map((e) => e.action)).toEqual(expect.arrayContaining(['tip.read', 'tip.photo-viewed']));
  });

  it('answers 404 for an unknown or malformed tip id', async () => {
    expect((await police.get('/console/tips/t-0000000000?lang=vi')).body).toContain('Không có tố giác t-0000000000.');
    expect((await police.get('/console/tips/t-0000000000')).status).toBe(404);
    expect((await police.get('/console/tips/nope')).status).toBe(404);
    expect((await police.post('/console/tips/t-0000000000/claim', {})).status).toBe(404);
  });

  it('claims, changes status and priority, notes and replies, each redirecting back with a notice and audited', async () => {
    const id = await submit();
    const other = await submit();
    expect(await afterPost(await police.post(`/console/tips/${id}/claim?lang=vi`, {}), id)).toMatch(/Bạn đã nhận xử lý tố giác này\.[\s\S]*Người phụ trách<\/dt><dd>cs\.hung/);
    expect(await afterPost(await police.post(`/console/tips/${id}/priority?lang=vi`, { priority: 'high' }), id)).toMatch(/Đã lưu mức ưu tiên\.[\s\S]*Mức ưu tiên<\/dt><dd>cao/);
    expect(await afterPost(await police.post(`/console/tips/${id}/status?lang=vi`, { status: 'duplicate', duplicateOf: other }), id)).toMatch(
      new RegExp(`Đã lưu trạng thái\\.[\\s\\S]*Trạng thái</dt><dd>trùng — <a href="/console/tips/${other}\\?lang=vi">`),
    );
    const noted = await afterPost(await police.post(`/console/tips/${id}/notes?lang=vi`, { text: 'Đã chuyển tổ trinh sát' }), id);
    expect(noted).toMatch(/Đã lưu ghi chú\.[\s\S]*cs\.hung · <time[^>]*>[^<]*<\/time><\/p><p class="text">Đã chuyển tổ trinh sát/);
    const replied = await afterPost(await police.post(`/console/tips/${id}/replies?lang=vi`, { text: 'Cảm ơn bạn, chúng tôi đang xác minh.' }), id);
    expect(replied).toContain('Đã lưu trả lời; người tố giác sẽ đọc được khi nhập mã biên nhận.');
    expect(replied).toMatch(/Công an phường · <time[^>]*>[^<]*<\/time><\/p><p class="text">Cảm ơn bạn, chúng tôi đang xác minh\./);

    const record = (await service.tips.deps.store.record(id))!;
    expect(record).toMatchObject({ claimedBy: 'cs.hung', priority: 'high', status: 'duplicate', duplicateOf: other });
    const actions = (await trailOf(id)).filter((e) => e.actor === 'cs.hung').map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['tip.claimed', 'tip.changed', 'tip.noted', 'tip.replied']));
    expect(replied).toMatch(/Nhật ký thao tác[\s\S]*cs\.hung<\/p><p class="text">tip\.replied \(toChat=false\)/);
  });

  it('shows refused changes on the page, beside their form, in the user language', async () => {
    const id = await submit();
    const noDuplicate = await police.post(`/console/tips/${id}/status?lang=en`, { status: 'duplicate', duplicateOf: '' });
    expect(noDuplicate.status).toBe(422);
    expect(noDuplicate.body).toContain('role="alert"');
    expect(noDuplicate.body).toMatch(/<p class="field-problem" id="duplicateOf-problem">[^<]+<\/p>/);

    const unknown = await police.post(`/console/tips/${id}/status?lang=vi`, { status: 'duplicate', duplicateOf: 't-0000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('Không có tố giác t-0000000000.');
    expect(unknown.body).toContain('value="t-0000000000"');

    const empty = await police.post(`/console/tips/${id}/replies?lang=vi`, { text: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.body).toContain('Vui lòng viết từ 1 đến 4000 ký tự.');
    expect(empty.body).toMatch(/<textarea id="reply-text"[^>]*aria-invalid="true"/);

    const badPriority = await police.post(`/console/tips/${id}/priority?lang=vi`, { priority: 'asap' });
    expect(badPriority.status).toBe(422);
    expect(badPriority.body).toContain('Vui lòng chọn một mức ưu tiên trong danh sách.');
    expect((await service.tips.deps.store.record(id))!).toMatchObject({ status: 'new', priority: 'normal' });
  });

  it('sends a reply to a chat tip to the tipster chat', async () => {
    const sandbox = new SandboxStore(service.datastore.redis, service.datastore.prefix);
    const chatId = 'private-x';
    const id = await submit({}, { kind: 'chat', platform: 'sandbox', chatId, locale: 'vi' });
    const before = (await sandbox.transcript(chatId)).length;
    const page = await afterPost(await police.post(`/console/tips/${id}/replies?lang=vi`, { text: 'Cảm ơn bạn, công an đã xuống kiểm tra.' }), id);
    expect(page).toContain('Đã gửi trả lời tới tin nhắn của người tố giác.');
    await expect.poll(async () => (await sandbox.transcript(chatId)).length, wait).toBe(before + 1);
    const received = (await sandbox.transcript(chatId)).at(-1)!;
    expect(received.from).toBe('bot');
    expect(received.text).toMatch(/^Công an phường đã trả lời tố giác của bạn:\n\nCảm ơn bạn, công an đã xuống kiểm tra\./);
    expect((await trailOf(id)).find((e) => e.action === 'tip.replied')!.details).toEqual({ toChat: true });
  });

  it('renders hostile tip text harmlessly, with no script allowed', async () => {
    const id = await submit({ what: `Xem đây ${XSS}`, where: XSS, when: `"'><b>${XSS}` });
    await service.tips.note(id, XSS, { name: 'cs.hung', role: 'police' });
    await service.tips.reply(id, XSS, { name: 'cs.hung', role: 'police' });
    for (const path of [`/console/tips/${id}?lang=vi`, `/console/tips?lang=vi&id=${encodeURIComponent(XSS)}`]) {
      const { body, headers } = await police.get(path);
      expect(body).not.toContain('<script>');
      expect(body).not.toContain('<img src=x');
      expect(body).not.toContain('<b>');
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
      const csp = headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/script-src/);
      expect(csp).toContain("img-src 'self'");
    }
    expect((await police.get(`/console/tips/${id}?lang=vi`)).body.match(/&lt;script&gt;/g)!.length).toBeGreaterThanOrEqual(5);
  });
});

describe('who may see the police pages', () => {
  let tipId: string;
  const pages = () => [`/console/tips`, `/console/tips?status=new`, `/console/tips/${tipId}`, `/console/tips/${tipId}/photos/0`];
  const forms = () => ['claim', 'status', 'priority', 'notes', 'replies'].map((form) => `/console/tips/${tipId}/${form}`);
  const formBody = { status: 'closed', priority: 'urgent', text: 'không được phép' };

  beforeAll(async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).jpeg().toBuffer();
    tipId = await submit({}, undefined, [jpeg]);
  });

  it.each<Role>(['staff', 'approver', 'admin'])('refuses every page and form to the %s role', async (role) => {
    const user = await signedIn(service, `${role}-${randomBytes(3).toString('hex')}`, role);
    for (const path of pages()) {
      const { status, body } = await user.get(path);
      expect(status, path).toBe(403);
      expect(body).toContain('Tài khoản của bạn không có quyền xem trang này.');
      expect(body).not.toContain('Ngõ 12 Lê Lợi');
    }
    for (const path of forms()) expect((await user.post(path, formBody)).status, path).toBe(403);
    expect((await service.tips.deps.store.record(tipId))!).toMatchObject({ status: 'new', priority: 'normal', messages: 0 });
    expect((await trailOf(tipId)).filter((e) => e.actor === user.username)).toEqual([]);
  });

  it('sends the browser to the sign-in page without a session', async () => {
    for (const path of pages()) {
      const response = await fetch(`${service.baseUrl}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location')).toBe('/console/login?lang=vi');
    }
    for (const path of forms()) {
      const response = await fetch(`${service.baseUrl}${path}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(formBody) });
      expect(response.status, path).toBe(303);
    }
  });

  it('refuses a form without the CSRF token, changing nothing', async () => {
    const cookie = await sessionCookie('cs.hung');
    for (const path of forms()) {
      for (const csrf of [undefined, 'forged']) {
        const response = await fetch(`${service.baseUrl}${path}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...formBody, ...(csrf ? { csrf } : {}) }),
        });
        expect(response.status, path).toBe(403);
        expect(await response.text()).toContain('Biểu mẫu đã hết hạn');
      }
    }
    expect((await service.tips.deps.store.record(tipId))!).toMatchObject({ status: 'new', priority: 'normal', messages: 0 });
    expect((await trailOf(tipId)).map((e) => e.action)).toEqual(['tip.received']);
  });
});

/** A second session for an existing user, for requests the signed-in helper would add the CSRF token to. */
async function sessionCookie(username: string): Promise<string> {
  const { redis, prefix } = service.datastore;
  const box = new SealedBox(loadKeyring(service.config.secrets, silentLogger()));
  const sessions = new Sessions(redis, prefix, box, new UserStore(redis, prefix, new AuditLog(redis, prefix)));
  return `${SESSION_COOKIE}=${await sessions.create(username)}`;
}
