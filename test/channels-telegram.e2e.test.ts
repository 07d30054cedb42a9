import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from './fakes/telegram-fake.js';
import { startTestService, type TestService } from './support/service.js';

const SECRET = 'tg-webhook-secret_0123456789';
let fake: TelegramFake | undefined;
let service: TestService | undefined;

afterEach(async () => {
  await service?.stop();
  await fake?.close();
  service = undefined;
  fake = undefined;
});

async function start(mode: 'webhook' | 'polling'): Promise<{ fake: TelegramFake; service: TestService }> {
  fake = new TelegramFake({ maxLongPollMs: 200 });
  const apiRoot = await fake.start();
  service = await startTestService({
    DEFAULT_LOCALE: 'en',
    TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN,
    TELEGRAM_MODE: mode,
    TELEGRAM_API_ROOT: apiRoot,
    ...(mode === 'webhook' ? { TELEGRAM_WEBHOOK_SECRET: SECRET } : {}),
  });
  return { fake, service };
}

const update = (id: number, chat: { id: number; type: string }, text: string) => ({
  update_id: id,
  message: { message_id: id, date: Math.floor(Date.now() / 1000), chat, from: { id: 42, is_bot: false, first_name: 'Lan' }, text },
});

describe('Telegram through the whole service', () => {
  it('takes webhook updates only with the secret header and answers them', async () => {
    const { fake, service } = await start('webhook');
    const post = (body: unknown, secret?: string) =>
      fetch(`${service.baseUrl}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(body),
      });
    expect((await post(update(1, { id: 42, type: 'private' }, '/trogiup'))).status).toBe(401);
    expect((await post({ update_id: 'x' }, SECRET)).status).toBe(400);
    expect((await post({ update_id: 2, channel_post: { message_id: 1 } }, SECRET)).status).toBe(200);

    expect((await post(update(3, { id: 42, type: 'private' }, '/start'), SECRET)).status).toBe(200);
    await expect.poll(() => fake.sent.filter((s) => s.chatId === '42').length, { timeout: 5_000 }).toBe(1);
    expect(fake.sent[0]!.text).toMatch(/^Hello! This is Loa Phường/);

    // In a supergroup the bot stays quiet unless given a command.
    expect((await post(update(4, { id: -100123, type: 'supergroup' }, 'chào cả nhà'), SECRET)).status).toBe(200);
    expect((await post(update(5, { id: -100123, type: 'supergroup' }, '/trogiup@LoaPhuongBot'), SECRET)).status).toBe(200);
    await expect.poll(() => fake.sent.filter((s) => s.chatId === '-100123').length, { timeout: 5_000 }).toBe(1);
  });

  it('receives by long polling when no public URL is available', async () => {
    const { fake } = await start('polling');
    fake.queueMessage({ chatId: 77, text: '/trogiup' });
    await expect.poll(() => fake.sent.filter((s) => s.chatId === '77').length, { timeout: 8_000 }).toBe(1);
  });

  it('marks a chat that blocked the bot and stops sending to it', async () => {
    const { fake, service } = await start('webhook');
    fake.setChatState(99, 'blocked');
    await service.channels.outbox.send({ id: 'tg-1', platform: 'telegram', chatId: '99', chatKind: 'private', lane: 'reply', message: { kind: 'text', text: 'xin chào' } });
    await expect.poll(async () => (await service.channels.outbox.deliveries.get('tg-1'))?.status, { timeout: 5_000 }).toBe('failed');
    expect(await service.channels.chatStatus.unreachableReason('telegram', '99')).toBe('blocked');
    await service.channels.outbox.send({ id: 'tg-2', platform: 'telegram', chatId: '99', chatKind: 'private', lane: 'reply', message: { kind: 'text', text: 'lần nữa' } });
    await expect.poll(async () => (await service.channels.outbox.deliveries.get('tg-2'))?.status, { timeout: 5_000 }).toBe('skipped');
    expect(fake.requests.filter((r) => r.method === 'sendMessage')).toHaveLength(1);
  });
});
