import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, testPrefix, testRedis } from '../../../test/support/redis.js';
import { storedAt } from '../../../test/support/stored.js';
import type { InboundMessage } from '../../channels/channel.js';
import { parseCommand, type Conversation } from '../../conversations/router.js';
import type { Locale } from '../../platform/config.js';
import { SealedBox } from '../../platform/crypto/sealed-box.js';
import { DomainError } from '../../platform/domain-error.js';
import { createTranslator, type Translator } from '../../platform/i18n.js';
import type { TipOrigin } from '../schemas.js';
import { ConversationStore } from './conversation-store.js';
import { TipConversation } from './tip-conversation.js';

const key = randomBytes(32);
const box = new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey: randomBytes(32) });
const CODE = 'ABCD-EFGH-JKMN-PQRS';
const WHAT = 'Hai thanh niên đứng bán gói nhỏ cho học sinh sau giờ tan trường';

let redis: Redis;
let translator: Translator;
let prefix: string;
let updates = 0;

interface Submission {
  input: unknown;
  origin: TipOrigin;
  photos: readonly Buffer[];
}

beforeAll(async () => {
  redis = testRedis();
  translator = await createTranslator('vi');
});
afterAll(() => redis.quit());
beforeEach(() => {
  prefix = testPrefix();
});
afterEach(() => deleteKeys(redis, prefix));

/** A tip conversation over the real Redis, with the tips module and photo downloads stood in for. */
function setUp(options: { ttlMs?: number; failures?: DomainError[]; photo?: (url: string) => Promise<Buffer>; replyFails?: () => boolean } = {}) {
  const store = new ConversationStore(redis, prefix, box, options.ttlMs);
  const submitted: Submission[] = [];
  const failures = [...(options.failures ?? [])];
  const conversation = new TipConversation({
    store,
    tips: {
      submit: async (input, origin, photos = []) => {
        const failure = failures.shift();
        if (failure) throw failure;
        submitted.push({ input, origin, photos });
        return { id: 't-1', code: CODE };
      },
    },
    fetchPhoto: options.photo ?? (async () => Buffer.from('clean photo')),
    formUrl: 'http://127.0.0.1:8080/to-giac',
  });

  /** One message from `chatId`; returns the one reply it got (each message gets exactly one). */
  async function send(chatId: string, input: string | Partial<InboundMessage>, updateId = `u${++updates}`): Promise<string> {
    const replies: string[] = [];
    const message: InboundMessage = {
      platform: 'sandbox',
      updateId,
      chat: { id: chatId, kind: 'private' },
      sender: { id: chatId },
      kind: 'text',
      sentAt: Date.now(),
      ...(typeof input === 'string' ? { text: input } : input),
    };
    const c: Conversation = {
      message,
      locale: 'vi',
      t: translator.t('vi'),
      tFor: (locale: Locale) => translator.t(locale),
      reply: async (text) => {
        if (options.replyFails?.()) throw new Error('outbox unavailable');
        replies.push(text);
      },
    };
    const command = parseCommand(message.text);
    if (command?.name === 'huy') await conversation.cancel(c);
    else if (command?.name === 'togiac') await conversation.start(c, 'vi', false);
    else if (!(await conversation.continue(c, message.text ?? ''))) replies.push('(not a tip conversation)');
    expect(replies).toHaveLength(1);
    return replies[0]!;
  }

  /** Answers up to (not including) the confirmation. */
  async function fillIn(chatId: string): Promise<string> {
    await send(chatId, '/togiac');
    await send(chatId, '1');
    await send(chatId, 'Hẻm 5 Lê Lợi');
    await send(chatId, 'tối qua khoảng 21 giờ');
    await send(chatId, WHAT);
    return send(chatId, '0');
  }

  return { store, submitted, send, fillIn };
}

const ownKeys = () => redis.keys(`${prefix}:*`);

describe('the tip conversation', () => {
  it('walks through every step to a receipt code and keeps nothing of the draft after', async () => {
    const { send, submitted } = setUp();
    const chat = 'private-lan';
    expect(await send(chat, '/togiac')).toMatch(/^Bạn đang gửi tố giác\.[\s\S]*Zalo và Telegram vẫn biết[\s\S]*\/to-giac[\s\S]*1\. Mua bán ma túy\n2\. Nơi tụ tập sử dụng ma túy\n3\. [\s\S]*5\. Khác$/);
    expect(await send(chat, '2')).toMatch(/^Ở đâu\?/);
    expect(await send(chat, 'Hẻm 5 Lê Lợi, gần trường THCS')).toMatch(/^Khi nào\?/);
    expect(await send(chat, 'không rõ')).toMatch(/^Bạn đã thấy gì\? .*ít nhất 10 ký tự/);
    expect(await send(chat, WHAT)).toMatch(/^Bạn có ảnh không\? Gửi tối đa 3 ảnh/);
    const confirm = await send(chat, 'bỏ qua');
    expect(confirm).toBe(
      `Vui lòng kiểm tra lại tố giác của bạn:\n\nLoại hành vi: nơi tụ tập sử dụng ma túy\nĐịa điểm: Hẻm 5 Lê Lợi, gần trường THCS\nThời gian: không rõ\nSự việc: ${WHAT}\nSố ảnh: 0\n\nTrả lời 1 để gửi, 2 để hủy.`,
    );
    const receipt = await send(chat, '1');
    expect(receipt).toMatch(/^Đã gửi tố giác\. Cảm ơn bạn!\n\nMã biên nhận của bạn: ABCD-EFGH-JKMN-PQRS\n/);
    expect(receipt).toContain('/ma ABCD-EFGH-JKMN-PQRS');
    expect(receipt).toMatch(/giữ kín/);

    expect(submitted).toEqual([
      {
        input: { category: 'use-place', where: 'Hẻm 5 Lê Lợi, gần trường THCS', when: '', what: WHAT },
        origin: { kind: 'chat', platform: 'sandbox', chatId: chat, locale: 'vi' },
        photos: [],
      },
    ]);
    expect(await ownKeys()).toEqual([]);
    // The next message is no longer part of a tip.
    expect(await send(chat, 'cảm ơn')).toBe('(not a tip conversation)');
  });

  it('takes the category in words too, and asks again when it cannot tell', async () => {
    const { send, submitted } = setUp();
    await send('c', '/togiac');
    expect(await send('c', 'mua bán online')).toMatch(/^Loa Phường chưa rõ bạn chọn loại nào\.[\s\S]*1\. Mua bán ma túy/);
    expect(await send('c', '7')).toMatch(/^Loa Phường chưa rõ/);
    expect(await send('c', 'thuốc lá điện tử')).toMatch(/^Ở đâu\?/);
    await send('c', 'không rõ');
    await send('c', 'skip');
    await send('c', WHAT);
    await send('c', '0');
    await send('c', 'gửi');
    expect(submitted[0]!.input).toEqual({ category: 'disguised', where: '', when: '', what: WHAT });
  });

  it('cancels with /huy at every step, storing nothing', async () => {
    const answers = ['1', 'Hẻm 5', 'tối qua', WHAT, '0'];
    for (let steps = 0; steps <= answers.length; steps += 1) {
      const { send, submitted } = setUp();
      const chat = `private-huy-${steps}`;
      await send(chat, '/togiac');
      for (const answer of answers.slice(0, steps)) await send(chat, answer);
      expect(await send(chat, '/huy'), `after ${steps} answers`).toBe('Đã hủy tố giác. Không có gì được gửi đi hay lưu lại.');
      expect(submitted).toEqual([]);
      expect(await ownKeys()).toEqual([]);
      expect(await send(chat, WHAT)).toBe('(not a tip conversation)');
    }
    const { send } = setUp();
    expect(await send('private-idle', '/huy')).toBe('Không có gì để hủy.');
  });

  it('cancels with 2 at the confirmation', async () => {
    const { send, submitted, fillIn } = setUp();
    await fillIn('c2');
    expect(await send('c2', '3')).toBe('Vui lòng trả lời 1 để gửi tố giác, hoặc 2 để hủy.');
    expect(await send('c2', '2')).toMatch(/^Đã hủy tố giác/);
    expect(submitted).toEqual([]);
    expect(await ownKeys()).toEqual([]);
  });

  it('answers bad input politely and stays at the same step', async () => {
    const { send, store } = setUp();
    const chat = 'private-bad';
    await send(chat, '/togiac');
    await send(chat, '1');
    expect(await send(chat, '   ')).toMatch(/^Bạn chưa viết gì\.\n\nỞ đâu\?/);
    expect(await send(chat, { kind: 'sticker' })).toMatch(/^Ở bước này Loa Phường chỉ đọc được chữ\.[\s\S]*\n\nỞ đâu\?/);
    expect(await send(chat, { kind: 'unsupported' })).toMatch(/chỉ đọc được chữ/);
    expect(await send(chat, { kind: 'photo', photoUrl: 'https://f.zalo.me/a.jpg' })).toMatch(/chỉ đọc được chữ[\s\S]*Ở đâu\?/);
    expect(await send(chat, 'x'.repeat(301))).toMatch(/^Câu trả lời quá dài: tối đa 300 ký tự\./);
    expect(await send(chat, 'y'.repeat(4001))).toMatch(/^Câu trả lời quá dài: tối đa 4000 ký tự\./);
    expect((await store.get({ platform: 'sandbox', chatId: chat }))?.step).toBe('where');
    await send(chat, 'Hẻm 5');
    await send(chat, 'tối qua');
    expect(await send(chat, 'bán hàng')).toMatch(/^Mô tả còn ngắn quá: cần ít nhất 10 ký tự/);
    expect(await send(chat, 'z'.repeat(4001))).toMatch(/tối đa 4000 ký tự/);
    expect(await send(chat, 'w'.repeat(4000))).toMatch(/^Bạn có ảnh không\?/);
    expect(await send(chat, 'ảnh đây')).toMatch(/^Ở bước này, hãy gửi ảnh hoặc gõ 0 để bỏ qua\./);
    expect(await send(chat, { kind: 'sticker' })).toMatch(/^Ở bước này, hãy gửi ảnh/);
  });

  it('a /togiac in the middle keeps what was written and asks the current question again', async () => {
    const { send } = setUp();
    await send('c3', '/togiac');
    await send('c3', '1');
    expect(await send('c3', '/togiac')).toMatch(/^Bạn đang soạn dở một tố giác\.[\s\S]*Ở đâu\?/);
  });

  it('tells the person when the conversation timed out, and nothing half-done becomes a tip', async () => {
    const { send, submitted, store } = setUp({ ttlMs: 300 });
    const chat = 'private-slow';
    await send(chat, '/togiac');
    await send(chat, '1');
    await send(chat, 'Hẻm 5');
    await sleep(450);
    expect(await store.get({ platform: 'sandbox', chatId: chat })).toBeUndefined();
    expect(await send(chat, 'tối qua')).toMatch(/^Tố giác bạn đang soạn đã tự hủy sau \d+ phút không có trả lời, nên chưa có gì được gửi đi\. Gõ \/togiac để bắt đầu lại\.$/);
    expect(submitted).toEqual([]);
    expect(await ownKeys()).toEqual([]);
    expect(await send(chat, '1')).toBe('(not a tip conversation)');
  });

  it('keeps the draft alive as long as the person keeps answering', async () => {
    const { send, store } = setUp({ ttlMs: 400 });
    await send('c4', '/togiac');
    for (const answer of ['1', 'Hẻm 5', 'tối qua']) {
      await sleep(250);
      await send('c4', answer);
    }
    expect((await store.get({ platform: 'sandbox', chatId: 'c4' }))?.step).toBe('what');
  });

  it('takes up to three photos, stripped by the downloader, and sends them with the tip', async () => {
    const urls: string[] = [];
    const { send, submitted } = setUp({
      photo: async (url) => {
        urls.push(url);
        return Buffer.from(`clean ${url.slice(-5)}`);
      },
    });
    const chat = 'private-photos';
    await send(chat, '/togiac');
    for (const answer of ['3', 'trên Facebook', 'hôm qua', WHAT]) await send(chat, answer);
    expect(await send(chat, { kind: 'photo', photoUrl: 'https://f.zalo.me/1.jpg' })).toBe('Đã nhận ảnh 1/3. Gửi thêm ảnh, hoặc gõ 0 để tiếp tục.');
    expect(await send(chat, { kind: 'photo', photoUrl: 'https://f.zalo.me/2.jpg', text: 'ảnh 2' })).toBe('Đã nhận ảnh 2/3. Gửi thêm ảnh, hoặc gõ 0 để tiếp tục.');
    const third = await send(chat, { kind: 'photo', photoUrl: 'https://f.zalo.me/3.jpg' });
    expect(third).toMatch(/^Đã nhận ảnh 3\/3\.\n\nVui lòng kiểm tra lại[\s\S]*Số ảnh: 3\n/);
    await send(chat, '1');
    expect(submitted[0]!.photos.map(String)).toEqual(['clean 1.jpg', 'clean 2.jpg', 'clean 3.jpg']);
    expect(await ownKeys()).toEqual([]);
  });

  it('keeps every photo when several arrive at once', async () => {
    const { send, submitted } = setUp({
      photo: async (url) => {
        await sleep(30);
        return Buffer.from(url.slice(-5));
      },
    });
    const chat = 'private-burst';
    await send(chat, '/togiac');
    for (const answer of ['1', 'Hẻm 5', 'tối qua', WHAT]) await send(chat, answer);
    await Promise.all([1, 2, 3].map((n) => send(chat, { kind: 'photo', photoUrl: `https://f.zalo.me/${n}.jpg` })));
    await send(chat, '1');
    expect(submitted[0]!.photos.map(String).sort()).toEqual(['1.jpg', '2.jpg', '3.jpg']);
  });

  it('says when this channel cannot take photos and goes on without them', async () => {
    const { send, submitted } = setUp();
    await send('c5', '/togiac');
    for (const answer of ['1', 'Hẻm 5', 'tối qua', WHAT]) await send('c5', answer);
    expect(await send('c5', { kind: 'photo' })).toMatch(/^Loa Phường chưa nhận được ảnh qua kênh này, nên tố giác sẽ được gửi không kèm ảnh\.\n\nVui lòng kiểm tra lại/);
    await send('c5', '1');
    expect(submitted[0]!.photos).toEqual([]);
  });

  it('explains a photo that cannot be used and lets the person send another or go on', async () => {
    let calls = 0;
    const { send, submitted } = setUp({
      photo: async () => {
        calls += 1;
        if (calls === 1) throw new DomainError('invalid', 'tips:errors.invalid', {}, [{ field: 'photos', key: 'tips:problems.photoSize', params: { max: 8 } }]);
        if (calls === 2) throw new DomainError('invalid', 'tipchat:photo.failed');
        return Buffer.from('ok');
      },
    });
    await send('c6', '/togiac');
    for (const answer of ['1', 'Hẻm 5', 'tối qua', WHAT]) await send('c6', answer);
    expect(await send('c6', { kind: 'photo', photoUrl: 'https://f.zalo.me/huge.jpg' })).toBe(
      'Chưa gửi được tố giác; vui lòng kiểm tra:\n- Mỗi ảnh tối đa 8 MB.\n\nBạn có thể gửi lại ảnh, hoặc gõ 0 để tiếp tục mà không kèm ảnh này.',
    );
    expect(await send('c6', { kind: 'photo', photoUrl: 'https://f.zalo.me/gone.jpg' })).toMatch(/^Không tải được ảnh này\.\n\nBạn có thể gửi lại ảnh/);
    expect(await send('c6', { kind: 'photo', photoUrl: 'https://f.zalo.me/ok.jpg' })).toMatch(/^Đã nhận ảnh 1\/3/);
    await send('c6', '0');
    await send('c6', '1');
    expect(submitted[0]!.photos.map(String)).toEqual(['ok']);
  });

  it('answers in the person’s language once their words show it', async () => {
    const { send, submitted } = setUp();
    await send('c7', '/togiac');
    expect(await send('c7', '1')).toMatch(/^Ở đâu\?/);
    expect(await send('c7', 'near the school gate on Tran Phu street')).toMatch(/^When\?/);
    expect(await send('c7', 'skip')).toMatch(/^What did you see\?/);
    expect(await send('c7', 'Two men selling small packets to students after school')).toMatch(/^Do you have photos\?/);
    expect(await send('c7', '0')).toMatch(/^Please check your tip:\n\nActivity: buying or selling drugs\nWhere: near the school gate on Tran Phu street\nWhen: not sure\n/);
    expect(await send('c7', '1')).toMatch(/^Your tip has been sent\. Thank you!\n\nYour receipt code: ABCD-EFGH-JKMN-PQRS/);
    expect(submitted[0]!.origin).toMatchObject({ locale: 'en' });
  });

  it('keeps the draft when the sender is rate-limited, so the person can send it later', async () => {
    const { send, submitted, fillIn } = setUp({ failures: [new DomainError('rate-limited', 'tips:errors.tooMany', { max: 5 })] });
    await fillIn('c8');
    expect(await send('c8', '1')).toBe(
      'Bạn đã gửi 5 tố giác trong một giờ qua. Vui lòng chờ một lúc rồi gửi tiếp; những gì bạn đã gửi vẫn được lưu an toàn.\n\nTrả lời 1 để thử gửi lại sau ít phút, hoặc gõ /huy để hủy.',
    );
    expect(submitted).toEqual([]);
    expect(await send('c8', '1')).toMatch(/^Đã gửi tố giác/);
    expect(submitted).toHaveLength(1);
  });

  it('ends the conversation on a repeated tip, and sends an invalid one back to the step to fix', async () => {
    const repeated = setUp({ failures: [new DomainError('conflict', 'tips:errors.repeated')] });
    await repeated.fillIn('c9');
    expect(await repeated.send('c9', '1')).toBe('Tố giác này đã được tiếp nhận. Muốn bổ sung, hãy dùng mã biên nhận của bạn.');
    expect(await ownKeys()).toEqual([]);

    const invalid = setUp({ failures: [new DomainError('invalid', 'tips:errors.invalid', {}, [{ field: 'what', key: 'tips:problems.what' }])] });
    await invalid.fillIn('c10');
    expect(await invalid.send('c10', '1')).toMatch(/^Chưa gửi được tố giác; vui lòng kiểm tra:\n- Vui lòng mô tả điều bạn thấy, từ 10 đến 4000 ký tự\.\n\nBạn đã thấy gì\?/);
    await invalid.send('c10', `${WHAT}, mỗi tối`);
    await invalid.send('c10', '0');
    await invalid.send('c10', '1');
    expect(invalid.submitted[0]!.input).toMatchObject({ what: `${WHAT}, mỗi tối` });
  });

  it('says the receipt code even when handling the confirmation had to be repeated', async () => {
    let failReply = false;
    const { send, submitted, fillIn } = setUp({ replyFails: () => failReply });
    await fillIn('c11');
    failReply = true;
    await expect(send('c11', '1', 'confirm-update')).rejects.toThrow('outbox unavailable');
    failReply = false;
    // The worker handles the same message again: the tip is not sent twice, and the code is said.
    expect(await send('c11', '1', 'confirm-update')).toMatch(/Mã biên nhận của bạn: ABCD-EFGH-JKMN-PQRS/);
    expect(submitted).toHaveLength(1);
    expect(await ownKeys()).toEqual([]);
  });

  it('keeps a photo once when its message is handled again', async () => {
    let failReply = false;
    const { send, submitted } = setUp({ replyFails: () => failReply, photo: async (url) => Buffer.from(url.slice(-5)) });
    await send('c12', '/togiac');
    for (const answer of ['1', 'Hẻm 5', 'tối qua', WHAT]) await send('c12', answer);
    failReply = true;
    await expect(send('c12', { kind: 'photo', photoUrl: 'https://f.zalo.me/1.jpg' }, 'photo-update')).rejects.toThrow('outbox unavailable');
    failReply = false;
    expect(await send('c12', { kind: 'photo', photoUrl: 'https://f.zalo.me/1.jpg' }, 'photo-update')).toMatch(/^Đã nhận ảnh 1\/3/);
    expect(await send('c12', { kind: 'photo', photoUrl: 'https://f.zalo.me/2.jpg' })).toMatch(/^Đã nhận ảnh 2\/3/);
    await send('c12', '0');
    await send('c12', '1');
    expect(submitted[0]!.photos.map(String)).toEqual(['1.jpg', '2.jpg']);
  });

  it('stores the draft and its photos sealed, under a keyed hash of the chat', async () => {
    const { send } = setUp({ photo: async () => Buffer.from('Ảnh bí mật') });
    const chat = 'private-0987654321';
    await send(chat, '/togiac');
    await send(chat, '1');
    await send(chat, 'Hẻm bí mật số 77');
    await send(chat, 'tối qua');
    await send(chat, WHAT);
    await send(chat, { kind: 'photo', photoUrl: 'https://f.zalo.me/secret.jpg' });
    const keys = await ownKeys();
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      // Keys and values of every type, byte for byte too.
      const { text } = await storedAt(redis, k);
      for (const secret of ['bí mật', 'Hẻm', 'thanh niên', '0987654321']) expect(text).not.toContain(secret);
    }
    const ttl = await redis.pttl(keys.find((k) => /tip-draft:[^:]+$/.test(k))!);
    expect(ttl).toBeGreaterThan(29 * 60 * 1000);
    expect(ttl).toBeLessThanOrEqual(30 * 60 * 1000);
  });
});
