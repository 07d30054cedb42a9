import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/accounts/actor.js';
import type { Platform } from '../src/channels/channel.js';
import { SandboxStore } from '../src/channels/sandbox/sandbox-store.js';
import { createLogger } from '../src/platform/logger.js';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from './fakes/telegram-fake.js';
import { ZaloBotFake, zaloUpdate } from './fakes/zalo-bot-fake.js';
import { startTestService, type TestService } from './support/service.js';

const police: Actor = { name: 'cs.hung', role: 'police' };
const WHAT_VI = 'Hai thanh niên đi xe máy đỏ bán gói nhỏ cho học sinh sau giờ tan trường';
const CODE = /(?:Mã biên nhận của bạn|Your receipt code): ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/;
const wait = { timeout: 8_000, interval: 50 };

type Say = (text: string) => Promise<string>;

/** The whole conversation in Vietnamese, from the first word to the receipt code. */
async function reportInVietnamese(say: Say, start = '/togiac'): Promise<string> {
  expect(await say(start)).toMatch(/^Bạn đang gửi tố giác\.[\s\S]*Trả lời bằng số:\n1\. Mua bán ma túy/);
  expect(await say('1')).toMatch(/^Ở đâu\?/);
  expect(await say('Hẻm 5 Lê Lợi, gần cổng trường')).toMatch(/^Khi nào\?/);
  expect(await say('không rõ')).toMatch(/^Bạn đã thấy gì\?/);
  expect(await say(WHAT_VI)).toMatch(/^Bạn có ảnh không\?/);
  expect(await say('0')).toMatch(/^Vui lòng kiểm tra lại tố giác của bạn:\n\nLoại hành vi: mua bán ma túy\nĐịa điểm: Hẻm 5 Lê Lợi, gần cổng trường\nThời gian: không rõ\n/);
  const receipt = await say('1');
  expect(receipt).toMatch(/^Đã gửi tố giác\. Cảm ơn bạn!/);
  return CODE.exec(receipt)![1]!;
}

async function tipIdOf(service: TestService, code: string, platform: Platform, chatId: string): Promise<string> {
  return (await service.tips.view(code, { kind: 'chat', platform, chatId })).id;
}

describe('tip-offs in the sandbox chat', () => {
  let service: TestService;
  let sandbox: SandboxStore;
  const logs: string[] = [];

  beforeAll(async () => {
    service = await startTestService({}, 'serve', createLogger('debug', { write: (line: string) => void logs.push(line) }));
    sandbox = new SandboxStore(service.datastore.redis, service.datastore.prefix);
  });
  afterAll(() => service.stop());

  /** Sends as a resident and returns the bot's one answer. */
  const sayIn =
    (chatId: string, kind: 'private' | 'group' = 'private'): Say =>
    async (text) => {
      const before = (await sandbox.transcript(chatId)).length;
      await service.channels.inbox.accept({
        platform: 'sandbox', updateId: randomBytes(8).toString('hex'), chat: { id: chatId, kind }, sender: { id: `private-sender-${chatId}` }, kind: 'text', text, sentAt: Date.now(),
      });
      await expect.poll(async () => (await sandbox.transcript(chatId)).length, wait).toBe(before + 1);
      return (await sandbox.transcript(chatId)).at(-1)!.text;
    };

  it('takes a tip started by a keyword, shows its status by code, and carries the thread both ways', async () => {
    const chat = 'private-tipster-0912345678';
    const say = sayIn(chat);
    const code = await reportInVietnamese(say, 'Tôi muốn tố giác');
    const status = await say(`/ma ${code.toLowerCase()}`);
    expect(status).toMatch(/^Tố giác \(mua bán ma túy\) gửi lúc \d{4}-\d\d-\d\d \d\d:\d\d: đã tiếp nhận\.\n\nChưa có trả lời\./);
    expect(status).toContain(`/ma ${code} <nội dung>`);

    const id = await tipIdOf(service, code, 'sandbox', chat);
    const before = (await sandbox.transcript(chat)).length;
    await service.tips.reply(id, 'Cảm ơn bạn, chúng tôi đang xác minh.', police);
    await expect.poll(async () => (await sandbox.transcript(chat)).length, wait).toBe(before + 1);
    expect((await sandbox.transcript(chat)).at(-1)!.text).toMatch(/^Công an phường đã trả lời tố giác của bạn:\n\nCảm ơn bạn, chúng tôi đang xác minh\./);

    expect(await say(`/ma ${code} Họ thường đến lúc 17 giờ`)).toBe(`Đã thêm vào tố giác của bạn; Công an phường sẽ đọc được. Gửi /ma ${code} để xem trao đổi.`);
    const thread = await say(`/ma ${code}`);
    expect(thread).toMatch(/Trao đổi:\n\n\[[\d-]+ [\d:]+\] Công an phường:\nCảm ơn bạn, chúng tôi đang xác minh\.\n\n\[[\d-]+ [\d:]+\] Bạn:\nHọ thường đến lúc 17 giờ/);
    const tip = await service.tips.read(id, police);
    expect(tip.content).toEqual({ category: 'trade', where: 'Hẻm 5 Lê Lợi, gần cổng trường', when: '', what: WHAT_VI });
    expect(tip.thread.map((e) => e.from)).toEqual(['police', 'tipster']);

    // Neither what was written nor who wrote it reached a log line.
    const logged = logs.join('');
    expect(logged.length).toBeGreaterThan(0);
    for (const secret of ['0912345678', 'Hẻm 5', 'Hai thanh niên', '17 giờ', code, code.replace(/-/g, '')]) expect(logged).not.toContain(secret);
  });

  it('answers a wrong code without saying anything about any tip', async () => {
    const say = sayIn('private-guesser');
    expect(await say('/ma ABCD-EFGH-JKMN-PQRS')).toBe('Không có tố giác nào khớp với mã biên nhận này. Vui lòng kiểm tra lại mã.');
    expect(await say('/ma xin chào')).toBe('Không có tố giác nào khớp với mã biên nhận này. Vui lòng kiểm tra lại mã.');
    expect(await say('/ma')).toMatch(/^Gửi \/ma kèm mã biên nhận/);
  });

  it('keeps commands working in the middle of a tip, and questions go to the knowledge base again after', async () => {
    const say = sayIn('private-mid');
    await say('/togiac');
    await say('2');
    expect(await say('/trogiup')).toMatch(/^Xin chào! Đây là Loa Phường[\s\S]*\/togiac/);
    expect(await say('Quán nước đầu ngõ 12')).toMatch(/^Khi nào\?/);
    expect(await say('/huy')).toBe('Đã hủy tố giác. Không có gì được gửi đi hay lưu lại.');
    // "Tố giác ở đâu?" is a question about reporting, answered rather than taken as the start of a tip.
    expect(await say('Tố giác ma túy ở đâu?')).not.toMatch(/^Bạn đang gửi tố giác/);
  });

  it('in a group, says how to report privately and never repeats what was written', async () => {
    const group = 'group-to-dan-pho-3';
    const before = (await service.tips.list(police)).length;
    const guard = await sayIn(group, 'group')('/togiac có người bán ma túy ở hẻm 9 nhà số 12');
    expect(guard).toMatch(/^Để giữ an toàn cho bạn, Loa Phường không nhận và không trao đổi về tố giác trong nhóm\./);
    expect(guard).toContain('/to-giac');
    expect(guard).not.toMatch(/hẻm 9|số 12|bán ma túy ở/);
    expect(await sayIn(group, 'group')('/ma ABCD-EFGH-JKMN-PQRS')).toBe(guard);

    // Keywords in group chatter are not commands: the bot stays silent and starts nothing.
    await service.channels.inbox.accept({
      platform: 'sandbox', updateId: randomBytes(8).toString('hex'), chat: { id: group, kind: 'group' }, sender: { id: 'private-x' }, kind: 'text', text: 'tố giác bán ma túy ở hẻm 9', sentAt: Date.now(),
    });
    await sleep(400);
    expect(await sandbox.transcript(group)).toHaveLength(2);
    expect(await service.tips.list(police)).toHaveLength(before);
  });
});

describe('tip-offs on Zalo', () => {
  const TOKEN = '3141592653:ZaloBotSecretPart';
  const SECRET = 'webhook-secret-0123456789';
  let fake: ZaloBotFake;
  let service: TestService;
  let photos: Server;
  let photoBase: string;

  beforeAll(async () => {
    const jpeg = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#884422' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneCo', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '20/1 51/1 30/1' } })
      .toBuffer();
    photos = createServer((req, res) => (req.url === '/img/1.jpg' ? res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg) : res.writeHead(404).end()));
    await new Promise<void>((resolve) => photos.listen(0, '127.0.0.1', resolve));
    photoBase = `http://127.0.0.1:${(photos.address() as AddressInfo).port}`;
    fake = new ZaloBotFake({ token: TOKEN });
    // A tip conversation is many quick messages in one chat: the per-chat pace of production would only slow the test.
    service = await startTestService({ ZALO_BOT_PRIVATE_PER_MINUTE: '1000', ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_BASE: await fake.start() });
  });
  afterAll(async () => {
    await service.stop();
    await fake.close();
    await new Promise((resolve) => photos.close(resolve));
  });

  const repliesTo = (chatId: string) => fake.sent.filter((s) => s.chatId === chatId).map((s) => s.text ?? '');
  async function post(update: Record<string, unknown>): Promise<void> {
    const answer = await fetch(`${service.baseUrl}/webhooks/zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    expect(answer.status).toBe(200);
  }
  const send = async (update: Record<string, unknown>, chatId: string): Promise<string> => {
    const before = repliesTo(chatId).length;
    await post(update);
    await expect.poll(() => repliesTo(chatId).length, wait).toBe(before + 1);
    return repliesTo(chatId).at(-1)!;
  };
  const sayIn =
    (chatId: string): Say =>
    (text) =>
      send(zaloUpdate({ chatId, text }), chatId);

  it('takes a tip with a photo, stored without its EXIF and GPS', async () => {
    const chat = 'u-zalo-photo';
    const say = sayIn(chat);
    await say('/togiac');
    for (const answer of ['4', 'Quán trà sữa cạnh trường tiểu học', 'chiều thứ sáu', 'Bán kẹo và thuốc lá điện tử có chất lạ cho học sinh']) await say(answer);
    expect(await send(zaloUpdate({ chatId: chat, photoUrl: `${photoBase}/img/1.jpg` }), chat)).toBe('Đã nhận ảnh 1/3. Gửi thêm ảnh, hoặc gõ 0 để tiếp tục.');
    expect(await send(zaloUpdate({ chatId: chat, photoUrl: `${photoBase}/img/missing.jpg` }), chat)).toMatch(/^Không tải được ảnh này\./);
    expect(await say('0')).toMatch(/Loại hành vi: ma túy trá hình[\s\S]*Số ảnh: 1\n/);
    const code = CODE.exec(await say('1'))![1]!;

    const id = await tipIdOf(service, code, 'zalo', chat);
    const tip = await service.tips.read(id, police);
    expect(tip).toMatchObject({ category: 'disguised', photos: 1 });
    const stored = await service.tips.photo(id, 0, police);
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(stored.toString('latin1')).not.toContain('PhoneCo');
  });

  it('runs the whole flow, the police reply reaches the chat, and a tipster who blocked the bot can still read it', async () => {
    const chat = 'u-zalo-tipster';
    const say = sayIn(chat);
    const code = await reportInVietnamese(say);
    expect(await say(`/ma ${code}`)).toMatch(/: đã tiếp nhận\.\n\nChưa có trả lời\./);
    const id = await tipIdOf(service, code, 'zalo', chat);

    const before = repliesTo(chat).length;
    await service.tips.change(id, { status: 'in-progress' }, police);
    await service.tips.reply(id, 'Chúng tôi đã cử người xác minh.', police);
    await expect.poll(() => repliesTo(chat).length, wait).toBe(before + 1);
    expect(repliesTo(chat).at(-1)).toMatch(/^Công an phường đã trả lời tố giác của bạn:\n\nChúng tôi đã cử người xác minh\./);
    expect(await say(`/ma ${code} Xe máy biển 15B1`)).toMatch(/^Đã thêm vào tố giác của bạn/);
    expect((await service.tips.read(id, police)).thread.at(-1)).toMatchObject({ from: 'tipster', text: 'Xe máy biển 15B1' });

    // The tipster blocks the bot; the reply cannot be delivered but is kept behind the code.
    fake.failNext(1, { kind: 'blocked' });
    await service.tips.reply(id, 'Bạn có nhớ màu áo của họ không?', police);
    await expect.poll(() => service.channels.chatStatus.unreachableReason('zalo', chat), wait).toBe('blocked');
    const view = await service.tips.view(code, { kind: 'web', address: '203.0.113.9' });
    expect(view.status).toBe('in-progress');
    expect(view.thread.at(-1)).toMatchObject({ from: 'police', text: 'Bạn có nhớ màu áo của họ không?' });
    // Once they write again, they read it in the chat too.
    const thread = await say(`/ma ${code}`);
    expect(thread).toMatch(/: đang xử lý\./);
    expect(thread).toContain('Công an phường:\nBạn có nhớ màu áo của họ không?');
  });

  it('in a group, answers /togiac and /ma with the way to report privately only', async () => {
    const group = 'grp-zalo-7';
    const guard = await send(zaloUpdate({ chatId: group, chatType: 'GROUP', fromId: 'u-77', text: '/togiac thấy bán ma túy ở hẻm 9' }), group);
    expect(guard).toMatch(/^Để giữ an toàn cho bạn/);
    expect(guard).not.toMatch(/hẻm 9|thấy bán/);
    expect(await send(zaloUpdate({ chatId: group, chatType: 'GROUP', fromId: 'u-77', text: '/ma ABCD-EFGH-JKMN-PQRS' }), group)).toBe(guard);
  });
});

describe('tip-offs on Telegram', () => {
  const SECRET = 'tg-webhook-secret_0123456789';
  let fake: TelegramFake;
  let service: TestService;
  let updateId = 1000;

  beforeAll(async () => {
    fake = new TelegramFake({ maxLongPollMs: 200 });
    const apiRoot = await fake.start();
    service = await startTestService({ TELEGRAM_PRIVATE_PER_MINUTE: '1000', DEFAULT_LOCALE: 'en', TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN, TELEGRAM_MODE: 'webhook', TELEGRAM_API_ROOT: apiRoot, TELEGRAM_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await service.stop();
    await fake.close();
  });

  const repliesTo = (chatId: number) => fake.sent.filter((s) => s.chatId === String(chatId)).map((s) => s.text ?? '');
  async function send(chatId: number, content: Record<string, unknown>, type = 'private'): Promise<string> {
    const before = repliesTo(chatId).length;
    const id = ++updateId;
    const answer = await fetch(`${service.baseUrl}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type }, from: { id: 4242, is_bot: false, first_name: 'Lan' }, ...content } }),
    });
    expect(answer.status).toBe(200);
    await expect.poll(() => repliesTo(chatId).length, wait).toBe(before + 1);
    return repliesTo(chatId).at(-1)!;
  }
  const sayIn =
    (chatId: number): Say =>
    (text) =>
      send(chatId, { text });

  it('runs the whole flow in English, says photos cannot be taken here, and carries the thread', async () => {
    const chat = 4242;
    const say = sayIn(chat);
    expect(await say('/togiac')).toMatch(/^You are sending a tip\.[\s\S]*web form[\s\S]*1\. Buying or selling drugs/);
    expect(await say('3')).toMatch(/^Where\?/);
    expect(await say('a channel on a messaging app')).toMatch(/^When\?/);
    expect(await say('every evening this week')).toMatch(/^What did you see\?/);
    expect(await say('A seller posts prices for pills and delivers to the market gate')).toMatch(/^Do you have photos\?/);
    expect(await send(chat, { photo: [{ file_id: 'f-1' }] })).toMatch(/^Loa Phường cannot take photos on this channel, so the tip will be sent without them\.\n\nPlease check your tip:/);
    const code = CODE.exec(await say('1'))![1]!;
    expect(await say(`/ma ${code}`)).toMatch(/^Your tip \(drugs sold online\) sent on [\d-]+ [\d:]+: received\.\n\nNo replies yet\./);

    const id = await tipIdOf(service, code, 'telegram', String(chat));
    expect((await service.tips.read(id, police)).content.where).toBe('a channel on a messaging app');
    const before = repliesTo(chat).length;
    await service.tips.reply(id, 'Thank you, which app?', police);
    await expect.poll(() => repliesTo(chat).length, wait).toBe(before + 1);
    expect(repliesTo(chat).at(-1)).toMatch(/^The ward police answered your tip:\n\nThank you, which app\?/);
    expect(await say(`/ma ${code} It is on Telegram, a group called night market`)).toMatch(/^Added to your tip/);

    fake.setChatState(chat, 'blocked');
    await service.tips.reply(id, 'Thank you, we are on it.', police);
    await expect.poll(() => service.channels.chatStatus.unreachableReason('telegram', String(chat)), wait).toBe('blocked');
    expect((await service.tips.view(code, { kind: 'chat', platform: 'telegram', chatId: String(chat) })).thread.map((e) => e.text)).toEqual([
      'Thank you, which app?',
      'It is on Telegram, a group called night market',
      'Thank you, we are on it.',
    ]);
    fake.setChatState(chat, undefined);
    expect(await say(`/ma ${code}`)).toMatch(/\] You:\nIt is on Telegram, a group called night market\n\n\[[\d-]+ [\d:]+\] Ward police:\nThank you, we are on it\./);
  });

  it('in a group, says how to report privately and repeats nothing', async () => {
    const guard = await send(-100777, { text: '/togiac@loaphuong_test_bot dealer at 12 Hang Bac' }, 'supergroup');
    expect(guard).toMatch(/^To keep you safe, Loa Phường neither takes nor discusses tips in a group\./);
    expect(guard).not.toMatch(/Hang Bac|dealer/);
  });
});
