import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../src/accounts/actor.js';
import { createTranslator, type TFunction } from '../src/platform/i18n.js';
import { createLogger } from '../src/platform/logger.js';
import { MAX_PHOTO_BYTES } from '../src/tips/photos.js';
import { TIP_CATEGORIES } from '../src/tips/schemas.js';
import { postFrom } from './support/form-post.js';
import { startTestService, type TestService } from './support/service.js';
import { everythingStored } from './support/stored.js';

const police: Actor = { name: 'officer-lan', role: 'police' };
const RECEIPT_CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;
const WHAT = 'Có người bán ma túy ở quán nước đầu ngõ 12 mỗi tối.';

let t: TFunction;
let tEn: TFunction;
beforeAll(async () => {
  const translator = await createTranslator('vi');
  t = translator.t('vi');
  tEn = translator.t('en');
});

const running: TestService[] = [];
afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
});

async function start(logger?: Parameters<typeof startTestService>[2]): Promise<TestService> {
  const service = await startTestService({}, 'serve', logger);
  running.push(service);
  return service;
}

type Fields = Partial<Record<'category' | 'where' | 'when' | 'what', string>>;

function tipForm(fields: Fields, files: Blob[] = []): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  files.forEach((file, i) => form.append('photos', file, `photo-${i}.jpg`));
  return form;
}

const goodTip = (what = WHAT): Fields => ({ category: 'trade', where: 'Ngõ 12 Lê Lợi', when: 'Tối thứ Bảy, 21 giờ', what });

async function post(service: TestService, path: string, body: FormData | URLSearchParams | string, headers: Record<string, string> = {}) {
  const res = await fetch(`${service.baseUrl}${path}`, { method: 'POST', body, headers });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

const codeOn = (page: string): string | undefined => /<p class="code"[^>]*>([^<]+)<\/p>/.exec(page)?.[1];

async function submitTip(service: TestService, fields: Fields = goodTip(), files: Blob[] = []): Promise<string> {
  const reply = await post(service, '/to-giac', tipForm(fields, files));
  expect(reply.status, reply.body).toBe(200);
  const code = codeOn(reply.body);
  expect(code).toMatch(RECEIPT_CODE);
  return code!;
}

const lookUp = (service: TestService, code: string) => post(service, '/to-giac/ma', new URLSearchParams({ code }));

async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
    .withExif({
      IFD0: { Artist: 'CAMERA-OWNER-NAME' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '20/1 51/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '106/1 41/1 0/1' },
    })
    .jpeg()
    .toBuffer();
}

/** The GPS IFD pointer tag (0x8825), as a little-endian EXIF block holds it. */
const GPS_TAG = Buffer.from([0x25, 0x88]);

describe('the tip form', () => {
  it('shows every field with its label, in Vietnamese by default and in English on request, without cookies or scripts', async () => {
    const service = await start();
    const res = await fetch(`${service.baseUrl}/to-giac`);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')?.split(';')).toEqual(expect.arrayContaining(["default-src 'none'", "style-src 'unsafe-inline'", "img-src 'self'", "form-action 'self'"]));
    expect(page).toContain('<html lang="vi">');
    expect(page).not.toMatch(/<script/i);
    expect(page).toMatch(/<form method="post" action="\/to-giac\?lang=vi" enctype="multipart\/form-data"/);
    for (const id of ['where', 'when', 'what', 'photos']) {
      expect(page, id).toMatch(new RegExp(`<label for="${id}">[^<]+</label>`));
      expect(page, id).toMatch(new RegExp(`id="${id}" name="${id}"`));
    }
    expect(page).toContain(`<legend>${t('tipform:form.category')}</legend>`);
    for (const category of TIP_CATEGORIES) {
      expect(page, category).toMatch(new RegExp(`<label class="choice" for="([\\w-]+)"><input type="radio" id="\\1" name="category" value="${category}" required> <span>${t(`tips:category.${category}`)}</span></label>`));
    }
    expect(page).toContain('accept="image/*" multiple');
    expect(page).toContain(t('tipform:anonymity.noAddress'));
    expect(page).toMatch(/<a href="\/to-giac\?lang=en" hreflang="en" lang="en">English<\/a>/);

    const english = await (await fetch(`${service.baseUrl}/to-giac?lang=en`)).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain(`<label for="what">${tEn('tipform:form.what')}</label>`);
    expect(english).toContain('action="/to-giac?lang=en"');
  });

  it('takes a tip and gives a receipt code, and the police see the tip', async () => {
    const service = await start();
    const reply = await post(service, '/to-giac', tipForm(goodTip()));
    expect(reply.status).toBe(200);
    expect(reply.headers.get('set-cookie')).toBeNull();
    expect(reply.body).toContain(t('tipform:receipt.writeDown'));
    expect(reply.body).toContain('href="/to-giac/ma?lang=vi"');
    const code = codeOn(reply.body)!;
    expect(code).toMatch(RECEIPT_CODE);

    const [tip, ...others] = await service.tips.list(police);
    expect(others).toEqual([]);
    expect(tip).toMatchObject({ category: 'trade', status: 'new', source: 'web', photos: 0 });
    expect((await service.tips.read(tip!.id, police)).content).toEqual(goodTip());
    expect(await service.tips.view(code, { kind: 'web', address: 'elsewhere' })).toMatchObject({ id: tip!.id });
  });

  it('shows the status and the police reply with the code, and takes an answer back', async () => {
    const service = await start();
    const code = await submitTip(service);
    const first = await lookUp(service, code.toLowerCase().replace(/-/g, ' '));
    expect(first.status).toBe(200);
    expect(first.body).toContain(t('tips:status.new'));
    expect(first.body).toContain(t('tipform:status.empty'));

    const id = (await service.tips.list(police))[0]!.id;
    await service.tips.change(id, { status: 'in-progress' }, police);
    await service.tips.reply(id, 'Cảm ơn bạn, chúng tôi đang xác minh.', police);
    const second = await lookUp(service, code);
    expect(second.body).toContain(t('tips:status.in-progress'));
    expect(second.body).toMatch(/<li class="police"><p class="who">Công an phường · <time datetime="[^"]+">[^<]+<\/time><\/p><p class="text">Cảm ơn bạn, chúng tôi đang xác minh.<\/p><\/li>/);

    const answer = await post(service, '/to-giac/ma/tra-loi', new URLSearchParams({ code, text: 'Họ thường đến sau 22 giờ <b>bằng xe máy</b>.' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(t('tipform:status.sent'));
    expect(answer.body).toContain('Họ thường đến sau 22 giờ &lt;b&gt;bằng xe máy&lt;/b&gt;.');
    const thread = (await service.tips.read(id, police)).thread;
    expect(thread.map((e) => [e.from, e.text])).toEqual([
      ['police', 'Cảm ơn bạn, chúng tôi đang xác minh.'],
      ['tipster', 'Họ thường đến sau 22 giờ <b>bằng xe máy</b>.'],
    ]);

    const empty = await post(service, '/to-giac/ma/tra-loi', new URLSearchParams({ code, text: '   ' }));
    expect(empty.status).toBe(422);
    expect(empty.body).toMatch(/<p class="problem" id="text-problem">[^<]+<\/p>/);
    expect((await service.tips.read(id, police)).thread).toHaveLength(2);
  });

  it('answers a wrong code with a page that reveals nothing, and refuses the 11th wrong code within the hour', async () => {
    const service = await start();
    await submitTip(service);
    const unknown = await lookUp(service, 'Q7RT-M2XN-8KPD-W4HC');
    const malformed = await lookUp(service, 'not a code');
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(unknown.body).toBe(malformed.body);
    expect(unknown.body).toContain(t('tips:errors.unknownCode'));
    expect(unknown.body).not.toMatch(/Q7RT|M2XN/);
    for (let n = 3; n <= 10; n++) expect((await lookUp(service, `ZZZZ-ZZZZ-ZZZZ-ZZ${n.toString().padStart(2, '0')}`)).status).toBe(404);
    const blocked = await lookUp(service, 'ZZZZ-ZZZZ-ZZZZ-ZZ11');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toContain(t('tips:errors.tooManyCodes'));
    const answer = await post(service, '/to-giac/ma/tra-loi', new URLSearchParams({ code: 'ZZZZ-ZZZZ-ZZZZ-ZZ12', text: 'xin chào' }));
    expect(answer.status).toBe(429);
  });

  it('refuses a sixth tip within the hour from one sender, and not the next sender', async () => {
    const service = await start();
    for (let n = 1; n <= 5; n++) await submitTip(service, goodTip(`${WHAT} Lần thứ ${n}.`));
    const sixth = await post(service, '/to-giac', tipForm(goodTip(`${WHAT} Lần thứ 6.`)));
    expect(sixth.status).toBe(429);
    expect(sixth.body).toContain(t('tips:errors.tooMany', { max: 5 }));
    expect(codeOn(sixth.body)).toBeUndefined();

    const neighbour = await postFrom('127.0.0.2', `${service.baseUrl}/to-giac`, tipForm(goodTip(`${WHAT} Người khác.`)));
    expect(neighbour.status).toBe(200);
    expect(await service.tips.list(police)).toHaveLength(6);
  });

  it('refuses the same tip sent twice by the same sender', async () => {
    const service = await start();
    await submitTip(service);
    const again = await post(service, '/to-giac', tipForm(goodTip()));
    expect(again.status).toBe(409);
    expect(again.body).toContain(t('tips:errors.repeated'));
    expect(await service.tips.list(police)).toHaveLength(1);
  });

  it('stores an uploaded photo re-encoded, without its EXIF and GPS data', async () => {
    const service = await start();
    const original = await photoWithGps();
    const exif = (await sharp(original).metadata()).exif!;
    expect(exif.includes(GPS_TAG) && exif.includes('CAMERA-OWNER-NAME')).toBe(true);

    await submitTip(service, goodTip(), [new Blob([original], { type: 'image/jpeg' })]);
    const [tip] = await service.tips.list(police);
    expect(tip!.photos).toBe(1);
    const stored = await service.tips.photo(tip!.id, 0, police);
    const metadata = await sharp(stored).metadata();
    expect(metadata.format).toBe('jpeg');
    expect(metadata.exif).toBeUndefined();
    expect(stored.includes('CAMERA-OWNER-NAME')).toBe(false);
  });
});

interface BadInput {
  name: string;
  body: () => Promise<FormData | string>;
  headers?: Record<string, string>;
  status: number;
  /** What the page says, by translation key and parameters. */
  says: [string, Record<string, unknown>?];
  /** The field the problem is shown next to, when it is one. */
  field?: string;
}

const blob = (bytes: Buffer | string, type: string) => new Blob([bytes], { type });

const badInputs: BadInput[] = [
  { name: 'an empty description', body: async () => tipForm({ ...goodTip(), what: '' }), status: 422, says: ['tips:problems.what'], field: 'what' },
  { name: 'a too short description', body: async () => tipForm({ ...goodTip(), what: 'ma túy' }), status: 422, says: ['tips:problems.what'], field: 'what' },
  { name: 'a description over the limit', body: async () => tipForm({ ...goodTip(), what: 'x'.repeat(4001) }), status: 422, says: ['tips:problems.what'], field: 'what' },
  { name: 'a place far over the limit', body: async () => tipForm({ ...goodTip(), where: 'ngõ '.repeat(30_000) }), status: 422, says: ['tips:problems.where'], field: 'where' },
  { name: 'a time over the limit', body: async () => tipForm({ ...goodTip(), when: 't'.repeat(201) }), status: 422, says: ['tips:problems.when'], field: 'when' },
  { name: 'no category', body: async () => tipForm({ ...goodTip(), category: '' }), status: 422, says: ['tips:problems.category'], field: 'category' },
  { name: 'an unknown category', body: async () => tipForm({ ...goodTip(), category: 'weather' }), status: 422, says: ['tips:problems.category'], field: 'category' },
  {
    name: 'a file that is not an image',
    body: async () => tipForm(goodTip(), [blob('#!/bin/sh\necho not a photo\n', 'image/jpeg')]),
    status: 422,
    says: ['tips:problems.photoFormat'],
    field: 'photos',
  },
  {
    name: 'a photo over the size limit',
    body: async () => tipForm(goodTip(), [blob(Buffer.concat([await photoWithGps(), Buffer.alloc(MAX_PHOTO_BYTES)]), 'image/jpeg')]),
    status: 422,
    says: ['tips:problems.photoSize', { max: MAX_PHOTO_BYTES / 1024 / 1024 }],
    field: 'photos',
  },
  {
    name: 'too many photos',
    body: async () => {
      const photo = await photoWithGps();
      return tipForm(goodTip(), [1, 2, 3, 4].map(() => blob(photo, 'image/jpeg')));
    },
    status: 422,
    says: ['tips:problems.photos', { max: 3 }],
    field: 'photos',
  },
  {
    name: 'a body over the total limit',
    body: async () => tipForm(goodTip(), [1, 2, 3, 4].map(() => blob(Buffer.alloc(7 * 1024 * 1024), 'image/jpeg'))),
    status: 413,
    says: ['tipform:errors.tooLarge', { mb: 25 }],
  },
  {
    name: 'a malformed multipart body',
    body: async () => `--xyz\r\nContent-Disposition: form-data; name="what"\r\n\r\n${WHAT}\r\n--xyz\r\nContent-Disposition: form-data; name="category"\r\n\r\ntra`,
    headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    status: 400,
    says: ['tipform:errors.unreadable'],
  },
  {
    name: 'a body that is not a form',
    body: async () => JSON.stringify({ category: 'trade', what: WHAT }),
    headers: { 'content-type': 'application/json' },
    status: 400,
    says: ['tipform:errors.unreadable'],
  },
];

describe('bad input to the tip form', () => {
  it.each(badInputs)('answers $name with a clear page and stores nothing', async ({ body, headers, status, says, field }) => {
    const service = await start();
    const reply = await post(service, '/to-giac', await body(), headers);
    expect(reply.status, reply.body.slice(0, 2000)).toBe(status);
    expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
    expect(reply.headers.get('set-cookie')).toBeNull();
    const message = t(says[0], says[1]).replace(/&/g, '&amp;').replace(/</g, '&lt;');
    if (field) {
      expect(reply.body).toContain(`<p class="problem" id="${field}-problem">${message}</p>`);
      // What the person wrote comes back, so they need not type it again.
      if (field !== 'where') expect(reply.body).toContain('value="Ngõ 12 Lê Lợi"');
    } else {
      expect(reply.body).toContain(message);
    }
    expect(codeOn(reply.body)).toBeUndefined();
    expect(await service.tips.list(police)).toEqual([]);
    expect(await service.datastore.redis.keys(`${service.env.REDIS_PREFIX}:tips:content:*`)).toEqual([]);
  });

  it('answers an empty code and an oversized answer with a page, not an error', async () => {
    const service = await start();
    const empty = await post(service, '/to-giac/ma', new URLSearchParams({ code: '' }));
    expect(empty.status).toBe(422);
    expect(empty.body).toContain(t('tipform:lookup.missing'));
    const huge = await post(service, '/to-giac/ma/tra-loi', new URLSearchParams({ code: 'Q7RT-M2XN-8KPD-W4HC', text: 'x'.repeat(100_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body).toContain(t('tips:problems.message', { max: 4000 }));
  });
});

describe('what the tip form leaves behind', () => {
  it('keeps no address, no tip text and no cookie: not in responses, not in the logs, not in Redis', async () => {
    const lines: string[] = [];
    const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
    const service = await start(logger);
    const startedWith = lines.length;
    const secret = { where: 'Nhà số 47 hẻm Bí Mật', what: 'Người đàn ông áo xanh bán thuốc lắc trong túi bánh kẹo.', answer: 'Xe biển số 15B1-99999 hay đỗ ở đó.' };
    const cookies: (string | null)[] = [];

    const form = await fetch(`${service.baseUrl}/to-giac`);
    cookies.push(form.headers.get('set-cookie'));
    const receipt = await post(service, '/to-giac', tipForm({ category: 'disguised', where: secret.where, when: 'hôm qua', what: secret.what }, [blob(await photoWithGps(), 'image/jpeg')]));
    cookies.push(receipt.headers.get('set-cookie'));
    const code = codeOn(receipt.body)!;
    const fromElsewhere = await postFrom('127.0.0.9', `${service.baseUrl}/to-giac`, tipForm({ category: 'online', what: `${secret.what} Bán qua mạng.` }));
    expect(fromElsewhere.status).toBe(200);
    expect(fromElsewhere.headers['set-cookie']).toBeUndefined();
    const [id] = (await service.tips.list(police)).map((tip) => tip.id);
    await service.tips.reply(id!, 'Cảm ơn, đã ghi nhận.', police);
    for (const reply of [
      await lookUp(service, code),
      await post(service, '/to-giac/ma/tra-loi', new URLSearchParams({ code, text: secret.answer })),
      await lookUp(service, 'Q7RT-M2XN-8KPD-W4HC'),
      await post(service, '/to-giac', tipForm({ category: 'trade', where: secret.where, what: 'ngắn' })),
    ]) {
      cookies.push(reply.headers.get('set-cookie'));
    }
    // A failure while storing is logged, and the log line says what failed, not what was being stored or by whom.
    vi.spyOn(service.tips, 'submit').mockRejectedValueOnce(new Error('Connection is closed.'));
    const failed = await post(service, '/to-giac', tipForm({ category: 'trade', where: secret.where, what: `${secret.what} Lần nữa.` }));
    expect(failed.status).toBe(503);
    expect(failed.body).toContain(t('tipform:errors.unavailableTip'));
    cookies.push(failed.headers.get('set-cookie'));
    expect(cookies).toEqual(cookies.map(() => null));

    // Give the tips worker time to handle the jobs it was given, so its log lines are in too.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const served = lines.slice(startedWith);
    expect(served.filter((line) => line.includes('tip form request failed'))).toHaveLength(1);
    for (const line of served) {
      for (const needle of ['127.0.0.1', '127.0.0.9', code, code.replace(/-/g, ''), secret.where, secret.what, secret.answer]) {
        expect(line, needle).not.toContain(needle);
      }
    }
    expect(lines.join('')).not.toContain('127.0.0.9');

    const stored = await everythingStored(service.datastore.redis, service.env.REDIS_PREFIX!);
    expect(stored.split('\n').length).toBeGreaterThan(10);
    for (const needle of ['127.0.0.1', '127.0.0.9', code, code.replace(/-/g, ''), secret.where, 'thuốc lắc', secret.answer, 'CAMERA-OWNER-NAME']) {
      expect(stored, needle).not.toContain(needle);
    }
  });
});
