import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloBotApiClient } from './api-client.js';
import { DEFAULT_RETRY_AFTER_MS } from './failures.js';
import { channelFailureOf } from '../../../test/support/channel-errors.js';

const BASE = 'https://zalo.test';
const TOKEN = '8812345:Sup3rSecretBotKey';
const path = (method: string) => `/bot${TOKEN}/${method}`;
const client = (options: { timeoutMs?: number } = {}) => new ZaloBotApiClient({ token: TOKEN, baseUrl: BASE, ...options });

/**
 * A server that never answers, as an injected fetch: nock's delayed replies trip an assertion inside Node 20's
 * fetch when the request was aborted first.
 */
const hanging = (options: { timeoutMs?: number } = {}) =>
  new ZaloBotApiClient({
    token: TOKEN,
    baseUrl: BASE,
    ...options,
    fetch: (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      }),
  });

const failureOf = (promise: Promise<unknown>) => channelFailureOf(promise, { platform: 'zalo', secrets: [TOKEN, 'Sup3rSecretBotKey'] });

describe('ZaloBotApiClient', () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  describe('methods', () => {
    it('getMe reads the bot, including whether it can join groups', async () => {
      const scope = nock(BASE)
        .post(path('getMe'), {})
        .reply(200, { ok: true, result: { id: '88', account_name: 'bot.x', account_type: 'BASIC', can_join_groups: false, extra: 1 } });
      await expect(client().getMe()).resolves.toEqual({ id: '88', account_name: 'bot.x', account_type: 'BASIC', can_join_groups: false });
      expect(scope.isDone()).toBe(true);
    });

    it('getUpdates sends the timeout as a string and returns the one update', async () => {
      const update = { event_name: 'message.text.received', message: { message_id: 'm1', text: 'chào' } };
      const scope = nock(BASE)
        .matchHeader('content-type', 'application/json')
        .post(path('getUpdates'), { timeout: '25' })
        .reply(200, { ok: true, result: update });
      await expect(client().getUpdates({ timeoutSeconds: 25 })).resolves.toEqual(update);
      expect(scope.isDone()).toBe(true);
    });

    it('getUpdates defaults to the platform timeout of 30 s', async () => {
      const scope = nock(BASE).post(path('getUpdates'), { timeout: '30' }).reply(200, { ok: true, result: null });
      await expect(client().getUpdates()).resolves.toBeNull();
      expect(scope.isDone()).toBe(true);
    });

    it('getUpdates answers null when the platform says 408 (nothing came)', async () => {
      const scope = nock(BASE)
        .post(path('getUpdates'))
        .reply(408, { ok: false, error_code: 408, description: 'Request timeout' })
        .post(path('getUpdates'))
        .reply(200, { ok: false, error_code: 408, description: 'Request timeout' });
      await expect(client().getUpdates()).resolves.toBeNull();
      await expect(client().getUpdates()).resolves.toBeNull();
      expect(scope.isDone()).toBe(true);
    });

    it('getUpdates can be aborted by the caller', async () => {
      const controller = new AbortController();
      const polling = hanging().getUpdates({ signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      const { failure, message } = await failureOf(polling);
      expect(failure).toEqual({ kind: 'transient' });
      expect(message).toContain('aborted');
    });

    it('setWebhook, getWebhookInfo and deleteWebhook', async () => {
      const scope = nock(BASE)
        .post(path('setWebhook'), { url: 'https://lp.example/webhooks/zalo', secret_token: 'a-long-secret' })
        .reply(200, { ok: true, result: { url: 'https://lp.example/webhooks/zalo', updated_at: 1749538250568 } })
        .post(path('getWebhookInfo'), {})
        .reply(200, { ok: true, result: { url: 'https://lp.example/webhooks/zalo', updated_at: 1749538250568 } })
        .post(path('deleteWebhook'), {})
        .reply(200, { ok: true, result: { url: '', updated_at: 1749538250999 } });
      const api = client();
      await expect(api.setWebhook('https://lp.example/webhooks/zalo', 'a-long-secret')).resolves.toEqual({
        url: 'https://lp.example/webhooks/zalo',
        updated_at: 1749538250568,
      });
      await expect(api.getWebhookInfo()).resolves.toMatchObject({ url: 'https://lp.example/webhooks/zalo' });
      await expect(api.deleteWebhook()).resolves.toEqual({ url: '', updated_at: 1749538250999 });
      expect(scope.isDone()).toBe(true);
    });

    it('setWebhook refuses a secret the platform would refuse, without calling it', async () => {
      expect((await failureOf(client().setWebhook('https://lp.example/w', 'short'))).failure).toEqual({ kind: 'rejected' });
      expect((await failureOf(client().setWebhook('https://lp.example/w', 'x'.repeat(257)))).failure).toEqual({ kind: 'rejected' });
    });

    it('sendMessage sends chat_id and text as they are, unicode included', async () => {
      const text = 'Phường 7: họp tổ dân phố lúc 19h 🏠👮‍♀️';
      const scope = nock(BASE)
        .post(path('sendMessage'), { chat_id: 'g-1', text })
        .reply(200, { ok: true, result: { message_id: '82599fa32f56d00e8941', date: 1749632637199 } });
      await expect(client().sendMessage('g-1', text)).resolves.toEqual({ message_id: '82599fa32f56d00e8941', date: 1749632637199 });
      expect(scope.isDone()).toBe(true);
    });

    it('sendPhoto sends the URL as `photo`, with or without a caption', async () => {
      const scope = nock(BASE)
        .post(path('sendPhoto'), { chat_id: 'g-1', photo: 'https://cdn.example/a.png', caption: 'Áp phích' })
        .reply(200, { ok: true, result: { message_id: 'p1', date: 1 } })
        .post(path('sendPhoto'), (body) => body.chat_id === 'g-1' && !('caption' in body))
        .reply(200, { ok: true, result: { message_id: 'p2', date: 2 } });
      await expect(client().sendPhoto('g-1', 'https://cdn.example/a.png', 'Áp phích')).resolves.toMatchObject({ message_id: 'p1' });
      await expect(client().sendPhoto('g-1', 'https://cdn.example/a.png')).resolves.toMatchObject({ message_id: 'p2' });
      expect(scope.isDone()).toBe(true);
    });

    it('sendChatAction accepts the bare {ok:true}', async () => {
      const scope = nock(BASE).post(path('sendChatAction'), { chat_id: 'u-1', action: 'typing' }).reply(200, { ok: true });
      await expect(client().sendChatAction('u-1', 'typing')).resolves.toBeUndefined();
      expect(scope.isDone()).toBe(true);
    });
  });

  describe('failures', () => {
    const refuse = (status: number, body: object, headers?: Record<string, string>) => {
      const scope = nock(BASE).post(path('sendMessage')).reply(status, body, headers);
      return { scope, result: failureOf(client().sendMessage('c', 'hi')) };
    };

    it('429 is rate-limited, with the Retry-After hint in ms', async () => {
      const { scope, result } = refuse(429, { ok: false, error_code: 429, description: 'Quota exceeded' }, { 'Retry-After': '7' });
      expect((await result).failure).toEqual({ kind: 'rate-limited', retryAfterMs: 7_000 });
      expect(scope.isDone()).toBe(true);
    });

    it('error_code 429 without a hint waits the conservative default', async () => {
      const { scope, result } = refuse(200, { ok: false, error_code: 429, description: 'Quota exceeded' });
      expect((await result).failure).toEqual({ kind: 'rate-limited', retryAfterMs: DEFAULT_RETRY_AFTER_MS });
      expect(scope.isDone()).toBe(true);
    });

    it('HTTP 429 without the envelope is rate-limited too, reading an HTTP-date hint', async () => {
      const at = new Date(Date.now() + 60_000).toUTCString();
      const { scope, result } = refuse(429, { message: 'slow down' }, { 'Retry-After': at });
      const { failure } = await result;
      expect(failure.kind).toBe('rate-limited');
      expect(failure.kind === 'rate-limited' && failure.retryAfterMs).toBeGreaterThan(55_000);
      expect(scope.isDone()).toBe(true);
    });

    it.each([
      ['Bot is not a member of this group', 'removed-from-group'],
      ['Forbidden: bot was kicked from the group chat', 'removed-from-group'],
      ['User has blocked the bot', 'blocked'],
    ] as const)('403 "%s" is permanent (%s)', async (description, reason) => {
      const { scope, result } = refuse(403, { ok: false, error_code: 403, description });
      expect((await result).failure).toEqual({ kind: 'permanent', reason });
      expect(scope.isDone()).toBe(true);
    });

    it('a missing chat is permanent (chat-not-found)', async () => {
      const { scope, result } = refuse(400, { ok: false, error_code: 404, description: 'Chat not found' });
      expect((await result).failure).toEqual({ kind: 'permanent', reason: 'chat-not-found' });
      expect(scope.isDone()).toBe(true);
    });

    it.each([
      [400, 'Bad request: text must be 1-2000 characters'],
      [401, 'Unauthorized'],
      [403, 'Forbidden'],
      [404, 'Not found'],
    ])('other client errors (%s %s) are rejected', async (code, description) => {
      const { scope, result } = refuse(code, { ok: false, error_code: code, description });
      const { failure, message } = await result;
      expect(failure).toEqual({ kind: 'rejected' });
      expect(message).toContain(description);
      expect(scope.isDone()).toBe(true);
    });

    it.each([
      [500, { ok: false, error_code: 500, description: 'Internal server error' }],
      [502, '<html>Bad gateway</html>'],
      [200, 'not json'],
      [200, { ok: true, result: { message_id: 42 } }],
      [200, { ok: false, error_code: 408, description: 'Request timeout' }],
    ] as const)('HTTP %s %j is transient', async (status, body) => {
      const { scope, result } = refuse(status, body as object);
      expect((await result).failure).toEqual({ kind: 'transient' });
      expect(scope.isDone()).toBe(true);
    });

    it('a non-envelope 4xx (a proxy, a wrong base URL) is rejected', async () => {
      const { scope, result } = refuse(404, '<html>Not Found</html>' as unknown as object);
      expect((await result).failure).toEqual({ kind: 'rejected' });
      expect(scope.isDone()).toBe(true);
    });

    it('a timeout is transient', async () => {
      const { failure, message } = await failureOf(hanging({ timeoutMs: 50 }).getMe());
      expect(failure).toEqual({ kind: 'transient' });
      expect(message).toContain('timed out after 50 ms');
    });

    it('a long poll may take its poll timeout on top of the call timeout', async () => {
      const started = Date.now();
      const { message } = await failureOf(hanging({ timeoutMs: 50 }).getUpdates({ timeoutSeconds: 0.2 }));
      expect(message).toContain('timed out after 250 ms');
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    });

    it('a network error is transient', async () => {
      const scope = nock(BASE).post(path('getMe')).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      const { failure, message } = await failureOf(client().getMe());
      expect(failure).toEqual({ kind: 'transient' });
      expect(message).toBe('zalo: transient: getMe: fetch failed (ECONNRESET)');
      expect(scope.isDone()).toBe(true);
    });

    it('never lets the token into an error, even when the platform or the network echoes the URL', async () => {
      const scope = nock(BASE)
        .post(path('sendMessage'))
        .reply(400, { ok: false, error_code: 400, description: `Bad request for ${BASE}/bot${TOKEN}/sendMessage (token ${TOKEN})` });
      const { message } = await failureOf(client().sendMessage('c', 'hi'));
      expect(message).toContain('/bot<token>/sendMessage');
      expect(scope.isDone()).toBe(true);

      const leaky = new ZaloBotApiClient({
        token: TOKEN,
        baseUrl: BASE,
        fetch: async (url) => {
          throw new TypeError(`connect failed for ${String(url)}`);
        },
      });
      expect((await failureOf(leaky.getMe())).message).toContain('connect failed for https://zalo.test/bot<token>/getMe');
    });
  });
});
