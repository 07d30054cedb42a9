import { Telegram } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from './telegram-fake.js';

let fake: TelegramFake;
let root: string;

beforeEach(async () => {
  fake = new TelegramFake({ maxLongPollMs: 200 });
  root = await fake.start();
});

afterEach(async () => {
  await fake.close();
});

async function call(method: string, init: { body?: string | URLSearchParams; type?: string; query?: string; token?: string } = {}) {
  const url = `${root}/bot${init.token ?? FAKE_TELEGRAM_TOKEN}/${method}${init.query ? `?${init.query}` : ''}`;
  const headers: Record<string, string> = init.type ? { 'content-type': init.type } : {};
  const res = await fetch(url, { method: 'POST', headers, body: init.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const json = (method: string, payload: object) => call(method, { body: JSON.stringify(payload), type: 'application/json' });

describe('the fake Telegram Bot API', () => {
  it('answers like Telegram for a wrong token, an unknown method and a bad body', async () => {
    expect(await call('getMe', { token: '1:nope' })).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    expect(await call('sendDice')).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    expect((await call('sendMessage', { body: '{', type: 'application/json' })).status).toBe(400);
    expect((await call('GETME')).body).toMatchObject({ ok: true, result: { is_bot: true } });
  });

  it('reads JSON, form-encoded and query-string parameters alike', async () => {
    await json('sendMessage', { chat_id: 1, text: 'json' });
    await call('sendMessage', { body: new URLSearchParams({ chat_id: '2', text: 'form' }) });
    await call('sendMessage', { query: 'chat_id=3&text=query' });
    expect(fake.sent.map((s) => [s.chatId, s.text])).toEqual([
      ['1', 'json'],
      ['2', 'form'],
      ['3', 'query'],
    ]);
  });

  it('reads the multipart bodies telegraf sends for uploads', async () => {
    const telegram = new Telegram(FAKE_TELEGRAM_TOKEN, { apiRoot: root, webhookReply: false });
    const sent = await telegram.sendPhoto(-100200, { source: Buffer.from('not really a jpeg'), filename: 'poster.jpg' }, { caption: 'Chú thích' });
    expect(sent.caption).toBe('Chú thích');
    expect(fake.sent).toMatchObject([{ method: 'sendPhoto', chatId: '-100200', photo: 'attach:poster.jpg', caption: 'Chú thích' }]);
  });

  it('enforces text of 1-4096 characters and captions of up to 1024', async () => {
    expect((await json('sendMessage', { chat_id: 1, text: '😀'.repeat(4096) })).status).toBe(200);
    expect(await json('sendMessage', { chat_id: 1, text: 'a'.repeat(4097) })).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' },
    });
    expect((await json('sendMessage', { chat_id: 1, text: ' \n' })).body.description).toBe('Bad Request: message text is empty');
    expect((await json('sendMessage', { text: 'no chat' })).body.description).toBe('Bad Request: chat_id is empty');
    expect((await json('sendPhoto', { chat_id: 1, photo: 'https://x/p.jpg', caption: 'c'.repeat(1025) })).status).toBe(400);
    expect((await json('sendPhoto', { chat_id: 1 })).status).toBe(400);
    expect(fake.sent).toHaveLength(1);
  });

  it('assigns increasing message ids and timestamps every send', async () => {
    const before = Date.now();
    const a = await json('sendMessage', { chat_id: 1, text: 'a' });
    const b = await json('sendMessage', { chat_id: -5, text: 'b' });
    const idOf = (r: { body: Record<string, unknown> }) => (r.body.result as { message_id: number }).message_id;
    expect(idOf(b)).toBeGreaterThan(idOf(a));
    expect((b.body.result as { chat: { type: string } }).chat.type).toBe('group');
    expect(fake.sent.every((s) => s.at >= before && s.at <= Date.now())).toBe(true);
  });

  it('injects faults in order, only into the methods named', async () => {
    fake.failNext(1, { kind: 'rate-limit', retryAfterSeconds: 12 });
    fake.failNext(1, { kind: 'blocked' });
    fake.failNext(1, { kind: 'not-in-group' });
    fake.failNext(1, { kind: 'server-error' });
    expect((await call('getMe')).status).toBe(200);
    expect(await json('sendMessage', { chat_id: 1, text: 'a' })).toEqual({
      status: 429,
      body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 12', parameters: { retry_after: 12 } },
    });
    expect((await json('sendPhoto', { chat_id: 1, photo: 'p' })).body).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    expect((await json('sendMessage', { chat_id: -1, text: 'a' })).body.description).toBe('Forbidden: bot was kicked from the group chat');
    expect((await json('sendMessage', { chat_id: 1, text: 'a' })).status).toBe(500);
    expect((await json('sendMessage', { chat_id: 1, text: 'a' })).status).toBe(200);
    expect(fake.sent).toHaveLength(1);
    expect(fake.requests.map((r) => r.method)).toEqual(['getMe', 'sendMessage', 'sendPhoto', 'sendMessage', 'sendMessage', 'sendMessage']);
  });

  it('holds a timed-out request and then handles it for a client that waited', async () => {
    fake.failNext(1, { kind: 'timeout', ms: 150 });
    const started = Date.now();
    expect((await json('sendMessage', { chat_id: 1, text: 'chậm' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake.sent).toHaveLength(1);
  });

  it('serves queued updates by offset and limit, and forgets confirmed ones', async () => {
    const first = fake.queueMessage({ chatId: 1, text: 'a' });
    fake.queueMessage({ chatId: 1, text: 'b' });
    fake.queueMessage({ chatId: -7, text: 'c' });
    const ids = (r: { body: Record<string, unknown> }) => (r.body.result as { update_id: number }[]).map((u) => u.update_id);
    expect(ids(await json('getUpdates', { limit: 2 }))).toEqual([first, first + 1]);
    expect(fake.pendingUpdates).toBe(3);
    expect(ids(await json('getUpdates', { offset: first + 1 }))).toEqual([first + 1, first + 2]);
    expect(fake.pendingUpdates).toBe(2);
    expect(ids(await json('getUpdates', { offset: -1 }))).toEqual([first + 2]);
    expect(fake.pendingUpdates).toBe(1);
  });

  it('holds a long poll until an update arrives, at most the cap', async () => {
    let started = Date.now();
    expect((await json('getUpdates', { timeout: 50 })).body.result).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1_000);
    started = Date.now();
    const poll = json('getUpdates', { timeout: 50 });
    setTimeout(() => fake.queueMessage({ chatId: 1, text: 'now' }), 30);
    expect((await poll).body.result).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(190);
  });

  it('filters by allowed_updates and ends an older poll when a newer one starts', async () => {
    fake.queueUpdate({ edited_message: { message_id: 1 } });
    expect((await json('getUpdates', { allowed_updates: ['message'] })).body.result).toEqual([]);
    expect((await json('getUpdates', { allowed_updates: '["edited_message"]' })).body.result).toHaveLength(1);
    await json('getUpdates', { offset: 99 });
    const older = json('getUpdates', { offset: 99, timeout: 50 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await json('getUpdates', { offset: 99 });
    expect((await older).status).toBe(409);
  });

  it('keeps a webhook, refuses getUpdates while one is set, and deletes it', async () => {
    expect((await json('setWebhook', { url: 'http://plain.example/hook' })).status).toBe(400);
    expect((await json('setWebhook', { url: 'https://x.example/hook', secret_token: 'bad secret' })).status).toBe(400);
    expect((await json('setWebhook', { url: 'https://x.example/hook', secret_token: 'good_one', allowed_updates: ['message'] })).body).toEqual({
      ok: true,
      result: true,
      description: 'Webhook was set',
    });
    expect(fake.webhook).toEqual({ url: 'https://x.example/hook', secretToken: 'good_one', allowedUpdates: ['message'] });
    expect((await json('getWebhookInfo', {})).body.result).toMatchObject({ url: 'https://x.example/hook' });
    expect((await json('getUpdates', {})).status).toBe(409);
    expect((await json('deleteWebhook', {})).body.description).toBe('Webhook was deleted');
    expect((await json('deleteWebhook', {})).body.description).toBe('Webhook is already deleted');
    expect((await json('getUpdates', {})).status).toBe(200);
  });

  it('closes with requests still held', async () => {
    fake.failNext(1, { kind: 'timeout', ms: 10_000 });
    const held = json('sendMessage', { chat_id: 1, text: 'a' }).catch((e: unknown) => e);
    const polling = json('getUpdates', { timeout: 50 }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await fake.close();
    await Promise.all([held, polling]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.sent).toHaveLength(0);
  });
});
