import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloBotFake, zaloUpdate } from '../../../test/fakes/zalo-bot-fake.js';
import { ChannelError, type InboundMessage } from '../channel.js';
import { ZALO_BOT_MAX_TEXT, ZaloBotChannel } from './adapter.js';
import { ZaloBotApiClient } from './api-client.js';
import { ZaloBotPoller } from './poller.js';
import { channelFailureOf } from '../../../test/support/channel-errors.js';

const LIMITS = {
  maxTextLength: ZALO_BOT_MAX_TEXT,
  messagesPerSecond: 10,
  groupMessagesPerMinute: 20,
  privateMessagesPerMinute: 30,
};

let fake: ZaloBotFake;
let baseUrl: string;
let poller: ZaloBotPoller | undefined;

const clientFor = (options: { token?: string; timeoutMs?: number } = {}) =>
  new ZaloBotApiClient({ token: options.token ?? fake.token, baseUrl, timeoutMs: options.timeoutMs });
const channel = (timeoutMs?: number) => new ZaloBotChannel({ client: clientFor({ timeoutMs }), limits: LIMITS });

const failureOf = async (promise: Promise<unknown>) => (await channelFailureOf(promise, { platform: 'zalo', secrets: [fake.token] })).failure;

/** Starts a poller that collects messages and errors; short pauses keep the tests quick. */
function startPoller(pollWaitSeconds = 1) {
  const messages: InboundMessage[] = [];
  const errors: unknown[] = [];
  poller = new ZaloBotPoller({
    client: clientFor(),
    pollTimeoutSeconds: pollWaitSeconds,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    onError: (err) => errors.push(err),
  });
  poller.start(async (message) => void messages.push(message));
  return { messages, errors };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Zalo Bot adapter, poller and client against the local fake', () => {
  beforeEach(async () => {
    fake = new ZaloBotFake({ pollWaitMs: 150 });
    baseUrl = await fake.start();
  });

  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
    await fake.close();
  });

  describe('client', () => {
    it('reads the bot and manages the webhook', async () => {
      const api = clientFor();
      await expect(api.getMe()).resolves.toMatchObject({ id: '1234567890', can_join_groups: true });
      await expect(api.setWebhook('https://lp.example/webhooks/zalo', 'secret-123')).resolves.toMatchObject({
        url: 'https://lp.example/webhooks/zalo',
      });
      expect(fake.webhook).toEqual({ url: 'https://lp.example/webhooks/zalo', secretToken: 'secret-123' });
      await expect(api.getWebhookInfo()).resolves.toMatchObject({ url: 'https://lp.example/webhooks/zalo' });
      await expect(api.deleteWebhook()).resolves.toMatchObject({ url: '' });
      expect(fake.webhook).toBeUndefined();
    });

    it('shows typing', async () => {
      await clientFor().sendChatAction('u-1', 'typing');
      expect(fake.chatActions).toEqual([{ chatId: 'u-1', action: 'typing', at: expect.any(Number) }]);
    });

    it('a wrong token is rejected, and the error does not carry either token', async () => {
      const wrong = '999:not-the-token';
      const err = await clientFor({ token: wrong }).getMe().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChannelError);
      expect((err as ChannelError).failure).toEqual({ kind: 'rejected' });
      expect((err as Error).message).toBe('zalo: rejected: getMe: HTTP 401, error 401: Unauthorized');
    });
  });

  describe('adapter', () => {
    it('sends text, unicode and all, and returns the platform message id', async () => {
      const text = 'Loa phường: Nói không với ma tuý 🚫💊 — họp lúc 19h30';
      const sent = await channel().send('grp-7', { kind: 'text', text });
      expect(fake.sent).toEqual([{ method: 'sendMessage', chatId: 'grp-7', text, messageId: sent.messageId, at: expect.any(Number) }]);
      expect(sent.messageId).toMatch(/^[0-9a-f]{20}$/);
    });

    it('sends a text of exactly the limit', async () => {
      await channel().send('grp-7', { kind: 'text', text: 'x'.repeat(ZALO_BOT_MAX_TEXT) });
      expect(fake.sent[0]?.text).toHaveLength(ZALO_BOT_MAX_TEXT);
    });

    it('sends photos, leaving out an empty caption', async () => {
      const adapter = channel();
      await adapter.send('grp-7', { kind: 'photo', url: 'https://cdn.example/poster.png', caption: 'Áp phích tuần này' });
      await adapter.send('grp-7', { kind: 'photo', url: 'https://cdn.example/poster.png', caption: '' });
      expect(fake.sent.map(({ photo, caption }) => ({ photo, caption }))).toEqual([
        { photo: 'https://cdn.example/poster.png', caption: 'Áp phích tuần này' },
        { photo: 'https://cdn.example/poster.png', caption: undefined },
      ]);
    });

    it('refuses text or a caption over the limit, and empty text, without calling the platform', async () => {
      const adapter = channel();
      expect(await failureOf(adapter.send('g', { kind: 'text', text: 'x'.repeat(ZALO_BOT_MAX_TEXT + 1) }))).toEqual({ kind: 'rejected' });
      expect(await failureOf(adapter.send('g', { kind: 'text', text: '' }))).toEqual({ kind: 'rejected' });
      const caption = 'y'.repeat(ZALO_BOT_MAX_TEXT + 1);
      expect(await failureOf(adapter.send('g', { kind: 'photo', url: 'https://cdn.example/a.png', caption }))).toEqual({
        kind: 'rejected',
      });
      expect(fake.requests).toEqual([]);
    });

    it('counts the limit in UTF-16 units, so emoji count double and never overrun the platform', async () => {
      const adapter = new ZaloBotChannel({ client: clientFor(), limits: { ...LIMITS, maxTextLength: 10 } });
      expect(await failureOf(adapter.send('g', { kind: 'text', text: '😀'.repeat(6) }))).toEqual({ kind: 'rejected' });
      await adapter.send('g', { kind: 'text', text: '😀'.repeat(5) });
      expect(fake.sent).toHaveLength(1);
    });

    it('will not be configured above the platform limit', () => {
      expect(() => new ZaloBotChannel({ client: clientFor(), limits: { ...LIMITS, maxTextLength: 4096 } })).toThrow(RangeError);
    });

    it('a 429 is rate-limited with the platform hint, and the next send goes through', async () => {
      fake.failNext(1, { kind: 'rate-limit', retryAfterSeconds: 3 });
      const adapter = channel();
      expect(await failureOf(adapter.send('g', { kind: 'text', text: 'a' }))).toEqual({ kind: 'rate-limited', retryAfterMs: 3_000 });
      await adapter.send('g', { kind: 'text', text: 'b' });
      expect(fake.sent.map((s) => s.text)).toEqual(['b']);
    });

    it('a bot that is not in the group, or blocked, is a permanent failure', async () => {
      fake.failNext(1, { kind: 'not-in-group' });
      fake.failNext(1, { kind: 'blocked' });
      const adapter = channel();
      expect(await failureOf(adapter.send('grp-gone', { kind: 'text', text: 'a' }))).toEqual({
        kind: 'permanent',
        reason: 'removed-from-group',
      });
      expect(await failureOf(adapter.send('u-gone', { kind: 'photo', url: 'https://cdn.example/a.png' }))).toEqual({
        kind: 'permanent',
        reason: 'blocked',
      });
      expect(fake.sent).toEqual([]);
    });

    it('a server error is transient', async () => {
      fake.failNext(2, { kind: 'server-error' });
      expect(await failureOf(channel().send('g', { kind: 'text', text: 'a' }))).toEqual({ kind: 'transient' });
      expect(await failureOf(channel().send('g', { kind: 'text', text: 'a' }))).toEqual({ kind: 'transient' });
      await channel().send('g', { kind: 'text', text: 'a' });
      expect(fake.sent).toHaveLength(1);
    });

    it('a held response times out as transient, though the platform may still accept the message late', async () => {
      // Room for a loaded machine: the fake must have read the request before the client gives up on it.
      fake.failNext(1, { kind: 'timeout', ms: 1_000 });
      expect(await failureOf(channel(400).send('g', { kind: 'text', text: 'late' }))).toEqual({ kind: 'transient' });
      expect(fake.sent).toEqual([]);
      await until(() => fake.sent.length === 1);
      expect(fake.sent[0]?.text).toBe('late');
    });

    it('keeps up with many concurrent sends, each with its own id', async () => {
      const adapter = channel();
      const ids = await Promise.all(
        Array.from({ length: 500 }, (_, i) => adapter.send(`grp-${i % 25}`, { kind: 'text', text: `tin ${i}` })),
      );
      expect(new Set(ids.map((s) => s.messageId)).size).toBe(500);
      expect(fake.sent).toHaveLength(500);
    });
  });

  describe('poller', () => {
    it('receives an update queued before it started, and one queued while it waits', async () => {
      fake.queueUpdate(zaloUpdate({ chatId: 'u-1', displayName: 'Lan', text: 'Cho tôi hỏi 🙏' }));
      const { messages, errors } = startPoller();
      await until(() => messages.length === 1);
      await until(() => fake.requests.filter((r) => r.method === 'getUpdates').length >= 2);
      fake.queueUpdate(
        zaloUpdate({ chatId: 'grp-1', chatType: 'GROUP', fromId: 'u-2', photoUrl: 'https://f.zalo.me/x.jpg', caption: 'ảnh' }),
      );
      await until(() => messages.length === 2);
      expect(messages[0]).toMatchObject({
        platform: 'zalo',
        chat: { id: 'u-1', kind: 'private' },
        sender: { id: 'u-1', displayName: 'Lan' },
        kind: 'text',
        text: 'Cho tôi hỏi 🙏',
      });
      expect(messages[1]).toMatchObject({ chat: { id: 'grp-1', kind: 'group' }, kind: 'photo', photoUrl: 'https://f.zalo.me/x.jpg', text: 'ảnh' });
      expect(messages[0]?.updateId).not.toBe(messages[1]?.updateId);
      expect(errors).toEqual([]);
    });

    it('sends the timeout as a string and polls again after a 408', async () => {
      const { messages, errors } = startPoller(1);
      await until(() => fake.requests.filter((r) => r.method === 'getUpdates').length >= 3);
      expect(fake.requests[0]).toMatchObject({ method: 'getUpdates', body: { timeout: '1' } });
      expect(messages).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('backs off after failed polls, reports them, and keeps going', async () => {
      fake.failNext(3, { kind: 'server-error' }, ['getUpdates']);
      fake.queueUpdate(zaloUpdate({ chatId: 'u-1', text: 'vẫn tới nơi' }));
      const started = Date.now();
      const { messages, errors } = startPoller();
      await until(() => messages.length === 1);
      // Pauses of 20, 40 and 80 ms between the failed polls.
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(errors).toHaveLength(3);
      expect(errors.every((e) => e instanceof ChannelError && e.failure.kind === 'transient')).toBe(true);
    });

    it('reports an update it cannot read and goes on to the next; drops events it does not handle', async () => {
      fake.queueUpdate({ event_name: 'message.text.received', message: { text: 'no ids' } });
      fake.queueUpdate({ event_name: 'message.voice.received', message: {} });
      fake.queueUpdate(zaloUpdate({ chatId: 'u-1', text: 'ok' }));
      const { messages, errors } = startPoller();
      await until(() => messages.length === 1);
      expect(messages[0]?.text).toBe('ok');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ name: 'WebhookPayloadError' });
    });

    it('reports a handler that throws and carries on', async () => {
      fake.queueUpdate(zaloUpdate({ chatId: 'u-1', text: 'first' }));
      fake.queueUpdate(zaloUpdate({ chatId: 'u-1', text: 'second' }));
      const seen: string[] = [];
      const errors: unknown[] = [];
      poller = new ZaloBotPoller({ client: clientFor(), pollTimeoutSeconds: 1, onError: (e) => errors.push(e) });
      poller.start(async (message) => {
        seen.push(message.text ?? '');
        if (seen.length === 1) throw new Error('handler failed');
      });
      await until(() => seen.length === 2);
      expect(seen).toEqual(['first', 'second']);
      expect(errors).toEqual([new Error('handler failed')]);
    });

    it('stops promptly in the middle of a long poll, and does not lose the next update', async () => {
      await fake.close();
      fake = new ZaloBotFake({ pollWaitMs: 30_000 });
      baseUrl = await fake.start();
      const { messages } = startPoller(30);
      await until(() => fake.waitingPollCount === 1);
      const stopping = Date.now();
      await poller?.stop();
      expect(Date.now() - stopping).toBeLessThan(500);
      // The platform notices the hang-up a moment later; a poll nobody listens to must not take the update.
      await until(() => fake.waitingPollCount === 0);
      fake.queueUpdate(zaloUpdate({ chatId: 'u-1', text: 'after stop' }));
      expect(fake.queuedUpdates).toBe(1);
      expect(messages).toEqual([]);
    });

    it('stops promptly during a back-off pause, and cannot be started twice', async () => {
      fake.failNext(1, { kind: 'rate-limit', retryAfterSeconds: 60 }, ['getUpdates']);
      const { errors } = startPoller();
      expect(() => poller?.start(async () => undefined)).toThrow(/already running/);
      await until(() => errors.length === 1);
      const stopping = Date.now();
      await poller?.stop();
      expect(Date.now() - stopping).toBeLessThan(500);
      expect(errors[0]).toMatchObject({ failure: { kind: 'rate-limited', retryAfterMs: 60_000 } });
    });
  });
});
