import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from '../../../test/fakes/telegram-fake.js';
import { ChannelError, type ChannelLimits } from '../channel.js';
import { TELEGRAM_MAX_TEXT, TelegramChannel } from './adapter.js';
import { channelFailureOf } from '../../../test/support/channel-errors.js';

const LIMITS: ChannelLimits = { maxTextLength: TELEGRAM_MAX_TEXT, messagesPerSecond: 25, groupMessagesPerMinute: 20, privateMessagesPerMinute: 60 };

let fake: TelegramFake;
let apiRoot: string;

beforeEach(async () => {
  fake = new TelegramFake();
  apiRoot = await fake.start();
});

afterEach(async () => {
  await fake.close();
});

const channel = (options: { token?: string; requestTimeoutMs?: number } = {}) =>
  new TelegramChannel({ token: FAKE_TELEGRAM_TOKEN, apiRoot, limits: LIMITS, ...options });

const failureOf = async (promise: Promise<unknown>) => (await channelFailureOf(promise, { platform: 'telegram', secrets: [FAKE_TELEGRAM_TOKEN] })).failure;

describe('TelegramChannel against the fake Bot API', () => {
  it('delivers text and photos and gets distinct message ids back', async () => {
    const telegram = channel();
    const first = await telegram.send('-1001234567890', { kind: 'text', text: 'Tuyên truyền phòng chống ma tuý 🚫💊' });
    const second = await telegram.send('5550001', { kind: 'photo', url: 'https://cdn.example/poster.jpg', caption: 'Áp phích' });
    expect(first.messageId).not.toBe(second.messageId);
    expect(fake.sent).toMatchObject([
      { method: 'sendMessage', chatId: '-1001234567890', messageId: Number(first.messageId), text: 'Tuyên truyền phòng chống ma tuý 🚫💊' },
      { method: 'sendPhoto', chatId: '5550001', messageId: Number(second.messageId), photo: 'https://cdn.example/poster.jpg', caption: 'Áp phích' },
    ]);
    const sendMessage = fake.requests.find((r) => r.method === 'sendMessage');
    expect(sendMessage?.params).toEqual({
      chat_id: '-1001234567890',
      text: 'Tuyên truyền phòng chống ma tuý 🚫💊',
      link_preview_options: { is_disabled: true },
    });
  });

  it('sends a text of exactly 4096 characters', async () => {
    await channel().send('1', { kind: 'text', text: 'ộ'.repeat(TELEGRAM_MAX_TEXT) });
    expect(fake.sent[0]?.text).toHaveLength(TELEGRAM_MAX_TEXT);
  });

  it('classifies each injected fault the way the outbound layer needs', async () => {
    const telegram = channel();
    const text = { kind: 'text', text: 'x' } as const;
    fake.failNext(1, { kind: 'rate-limit', retryAfterSeconds: 3 });
    expect(await failureOf(telegram.send('1', text))).toEqual({ kind: 'rate-limited', retryAfterMs: 3000 });
    fake.failNext(1, { kind: 'blocked' });
    expect(await failureOf(telegram.send('1', text))).toEqual({ kind: 'permanent', reason: 'blocked' });
    fake.failNext(1, { kind: 'not-in-group' });
    expect(await failureOf(telegram.send('-1', text))).toEqual({ kind: 'permanent', reason: 'removed-from-group' });
    fake.failNext(1, { kind: 'server-error' });
    expect(await failureOf(telegram.send('1', text))).toEqual({ kind: 'transient' });
    expect(fake.sent).toHaveLength(0);
    await telegram.send('1', text);
    expect(fake.sent).toHaveLength(1);
  });

  it('keeps refusing a chat that blocked the bot or does not exist', async () => {
    const telegram = channel();
    fake.setChatState('5550001', 'blocked');
    fake.setChatState('-4001', 'not-found');
    expect(await failureOf(telegram.send('5550001', { kind: 'text', text: 'a' }))).toEqual({ kind: 'permanent', reason: 'blocked' });
    expect(await failureOf(telegram.send('5550001', { kind: 'text', text: 'b' }))).toEqual({ kind: 'permanent', reason: 'blocked' });
    expect(await failureOf(telegram.send('-4001', { kind: 'text', text: 'c' }))).toEqual({ kind: 'permanent', reason: 'chat-not-found' });
  });

  it('gives up on a call that takes longer than its deadline, as transient', async () => {
    fake.failNext(1, { kind: 'timeout', ms: 2_000 });
    const started = Date.now();
    expect(await failureOf(channel({ requestTimeoutMs: 150 }).send('1', { kind: 'text', text: 'late' }))).toEqual({ kind: 'transient' });
    expect(Date.now() - started).toBeLessThan(1_500);
    // The fake drops a held request whose client left, as if it never arrived.
    expect(fake.sent).toHaveLength(0);
  });

  it('waits for a slow answer inside the deadline', async () => {
    fake.failNext(1, { kind: 'timeout', ms: 100 });
    await channel({ requestTimeoutMs: 2_000 }).send('1', { kind: 'text', text: 'slow' });
    expect(fake.sent.map((s) => s.text)).toEqual(['slow']);
  });

  it('reports a wrong token as transient and never shows it', async () => {
    const wrong = '999:WrongTokenValue';
    const error = await channel({ token: wrong }).send('1', { kind: 'text', text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).failure).toEqual({ kind: 'transient' });
    expect((error as Error).message).toContain('Unauthorized');
    expect((error as Error).message).not.toContain(wrong);
  });

  it('runs the operator calls', async () => {
    const telegram = channel();
    expect(await telegram.getMe()).toEqual({ id: '123456789', username: 'loaphuong_test_bot', canJoinGroups: true, canReadAllGroupMessages: false });
    await telegram.setWebhook('https://loa.example/webhooks/telegram', 'secret_123-abc');
    expect(fake.webhook).toEqual({ url: 'https://loa.example/webhooks/telegram', secretToken: 'secret_123-abc', allowedUpdates: ['message'] });
    await telegram.deleteWebhook();
    expect(fake.webhook).toBeUndefined();
    expect(await failureOf(telegram.setWebhook('http://loa.example/webhooks/telegram', 'abc'))).toEqual({ kind: 'rejected' });
  });

  it('keeps up with many concurrent sends', async () => {
    const telegram = channel();
    const workers = 20;
    const perWorker = 50;
    const count = workers * perWorker;
    const ids: string[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let i = 0; i < perWorker; i++) ids.push((await telegram.send(String(1000 + w), { kind: 'text', text: `tin ${i}` })).messageId);
      }),
    );
    expect(new Set(ids).size).toBe(count);
    expect(fake.sent).toHaveLength(count);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
