import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelLimits } from '../channel.js';
import { TELEGRAM_MAX_TEXT, TelegramChannel } from './adapter.js';
import { channelFailureOf } from '../../../test/support/channel-errors.js';

const ROOT = 'https://telegram.test';
const TOKEN = '7012345678:AAH-s3cretPart_ofTheToken';
const SECRET_PART = 'AAH-s3cretPart_ofTheToken';
const path = (method: string) => `/bot${TOKEN}/${method}`;
const LIMITS: ChannelLimits = { maxTextLength: TELEGRAM_MAX_TEXT, messagesPerSecond: 25, groupMessagesPerMinute: 20, privateMessagesPerMinute: 60 };
const channel = (limits: ChannelLimits = LIMITS) => new TelegramChannel({ token: TOKEN, apiRoot: ROOT, limits });

const message = (messageId: number, extra: object = {}) => ({
  ok: true,
  result: { message_id: messageId, date: 1_700_000_000, chat: { id: -1001, type: 'supergroup', title: 'Tổ 5' }, ...extra },
});

/** The ChannelError a send ends in; fails the test if the send succeeds or throws anything else. */
const failureOf = (promise: Promise<unknown>) => channelFailureOf(promise, { platform: 'telegram', secrets: [TOKEN, SECRET_PART] });

beforeEach(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('TelegramChannel.send', () => {
  it('sends text as plain text with link previews off', async () => {
    const scope = nock(ROOT)
      .post(path('sendMessage'), { chat_id: '-1001', text: 'Họp tổ dân phố 19h <b>tối nay</b> https://x.vn', link_preview_options: { is_disabled: true } })
      .reply(200, message(42, { text: 'Họp tổ dân phố 19h' }));
    const sent = await channel().send('-1001', { kind: 'text', text: 'Họp tổ dân phố 19h <b>tối nay</b> https://x.vn' });
    expect(sent).toEqual({ messageId: '42' });
    expect(scope.isDone()).toBe(true);
  });

  it('sends a photo by URL with its caption', async () => {
    const scope = nock(ROOT)
      .post(path('sendPhoto'), { chat_id: '5550001', photo: 'https://cdn.example/poster.jpg', caption: 'Nói không với ma tuý' })
      .reply(200, message(43, { photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }] }));
    const sent = await channel().send('5550001', { kind: 'photo', url: 'https://cdn.example/poster.jpg', caption: 'Nói không với ma tuý' });
    expect(sent).toEqual({ messageId: '43' });
    expect(scope.isDone()).toBe(true);
  });

  it('sends a photo without a caption field when there is none', async () => {
    const scope = nock(ROOT)
      .post(path('sendPhoto'), (body: Record<string, unknown>) => !('caption' in body) && body.photo === 'https://cdn.example/a.png')
      .reply(200, message(44));
    expect(await channel().send('1', { kind: 'photo', url: 'https://cdn.example/a.png', caption: '' })).toEqual({ messageId: '44' });
    expect(scope.isDone()).toBe(true);
  });

  it('passes on exactly the wait Telegram asks for after a 429', async () => {
    const scope = nock(ROOT)
      .post(path('sendMessage'))
      .reply(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 37', parameters: { retry_after: 37 } });
    const { failure, message: text } = await failureOf(channel().send('1', { kind: 'text', text: 'x' }));
    expect(failure).toEqual({ kind: 'rate-limited', retryAfterMs: 37_000 });
    expect(text).toContain('Too Many Requests');
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [403, 'Forbidden: bot was blocked by the user', { kind: 'permanent', reason: 'blocked' }],
    [403, 'Forbidden: bot was kicked from the group chat', { kind: 'permanent', reason: 'removed-from-group' }],
    [403, 'Forbidden: bot was kicked from the supergroup chat', { kind: 'permanent', reason: 'removed-from-group' }],
    [403, 'Forbidden: bot is not a member of the supergroup chat', { kind: 'permanent', reason: 'removed-from-group' }],
    [403, 'Forbidden: user is deactivated', { kind: 'permanent', reason: 'forbidden' }],
    [400, 'Bad Request: chat not found', { kind: 'permanent', reason: 'chat-not-found' }],
    [400, 'Bad Request: group chat was upgraded to a supergroup chat', { kind: 'permanent', reason: 'chat-not-found' }],
    [400, 'Bad Request: message is too long', { kind: 'rejected' }],
    [400, "Bad Request: wrong file identifier/HTTP URL specified", { kind: 'rejected' }],
    [401, 'Unauthorized', { kind: 'transient' }],
    [500, 'Internal Server Error', { kind: 'transient' }],
  ] as const)('classifies %i "%s"', async (code, description, expected) => {
    const scope = nock(ROOT).post(path('sendMessage')).reply(code, { ok: false, error_code: code, description });
    const { failure, message: text } = await failureOf(channel().send('1', { kind: 'text', text: 'x' }));
    expect(failure).toEqual(expected);
    expect(text).toContain(description);
    expect(scope.isDone()).toBe(true);
  });

  it('treats a gateway error page as transient', async () => {
    const scope = nock(ROOT).post(path('sendMessage')).reply(502, '<html><body>502 Bad Gateway</body></html>');
    expect((await failureOf(channel().send('1', { kind: 'text', text: 'x' }))).failure).toEqual({ kind: 'transient' });
    expect(scope.isDone()).toBe(true);
  });

  it('treats a network failure as transient, without the token in the message', async () => {
    const scope = nock(ROOT).post(path('sendMessage')).replyWithError(`connect ECONNRESET for /bot${TOKEN}/sendMessage`);
    const { failure, message: text } = await failureOf(channel().send('1', { kind: 'text', text: 'x' }));
    expect(failure).toEqual({ kind: 'transient' });
    expect(text).toContain('ECONNRESET');
    expect(scope.isDone()).toBe(true);
  });

  it('keeps the token out of an error that quotes it back', async () => {
    const scope = nock(ROOT)
      .post(path('sendMessage'))
      .reply(400, { ok: false, error_code: 400, description: `Bad Request: token ${TOKEN} looks odd` });
    const { message: text } = await failureOf(channel().send('1', { kind: 'text', text: 'x' }));
    expect(text).toContain('<token>');
    expect(scope.isDone()).toBe(true);
  });

  it('refuses text over the limit or blank without calling Telegram', async () => {
    // No interceptor: any request would fail as transient, not as rejected.
    const long = 'a'.repeat(TELEGRAM_MAX_TEXT + 1);
    expect((await failureOf(channel().send('1', { kind: 'text', text: long }))).failure).toEqual({ kind: 'rejected' });
    expect((await failureOf(channel().send('1', { kind: 'text', text: '  \n ' }))).failure).toEqual({ kind: 'rejected' });
    const tight = channel({ ...LIMITS, maxTextLength: 10 });
    expect((await failureOf(tight.send('1', { kind: 'text', text: 'x'.repeat(11) }))).failure).toEqual({ kind: 'rejected' });
    const caption = 'c'.repeat(1025);
    expect((await failureOf(channel().send('1', { kind: 'photo', url: 'https://cdn.example/a.png', caption }))).failure).toEqual({
      kind: 'rejected',
    });
  });

  it('counts characters, not UTF-16 units, against the limit', async () => {
    const emoji = '🚨'.repeat(TELEGRAM_MAX_TEXT);
    const scope = nock(ROOT).post(path('sendMessage'), (body: { text: string }) => body.text === emoji).reply(200, message(45));
    expect(await channel().send('1', { kind: 'text', text: emoji })).toEqual({ messageId: '45' });
    expect((await failureOf(channel().send('1', { kind: 'text', text: `${emoji}!` }))).failure).toEqual({ kind: 'rejected' });
    expect(scope.isDone()).toBe(true);
  });

  it('will not be configured with a text limit Telegram does not allow', () => {
    expect(() => channel({ ...LIMITS, maxTextLength: TELEGRAM_MAX_TEXT + 1 })).toThrow(RangeError);
    expect(() => channel({ ...LIMITS, maxTextLength: 0 })).toThrow(RangeError);
  });
});

describe('TelegramChannel operator calls', () => {
  it('reads who the bot is', async () => {
    const scope = nock(ROOT)
      .post(path('getMe'))
      .reply(200, {
        ok: true,
        result: { id: 7012345678, is_bot: true, first_name: 'Loa', username: 'loa_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false },
      });
    expect(await channel().getMe()).toEqual({ id: '7012345678', username: 'loa_bot', canJoinGroups: true, canReadAllGroupMessages: false });
    expect(scope.isDone()).toBe(true);
  });

  it('sets the webhook with its secret and only the updates we read', async () => {
    const scope = nock(ROOT)
      .post(path('setWebhook'), { url: 'https://loa.example/webhooks/telegram', secret_token: 'abc_DEF-123', allowed_updates: ['message'] })
      .reply(200, { ok: true, result: true, description: 'Webhook was set' })
      .post(path('deleteWebhook'), { drop_pending_updates: false })
      .reply(200, { ok: true, result: true, description: 'Webhook was deleted' });
    await channel().setWebhook('https://loa.example/webhooks/telegram', 'abc_DEF-123');
    await channel().deleteWebhook();
    expect(scope.isDone()).toBe(true);
  });

  it('refuses a webhook secret Telegram would not accept', async () => {
    await expect(channel().setWebhook('https://loa.example/webhooks/telegram', 'has spaces')).rejects.toThrow(RangeError);
    await expect(channel().setWebhook('https://loa.example/webhooks/telegram', 'x'.repeat(257))).rejects.toThrow(RangeError);
  });

  it('reports a refused webhook as a ChannelError without the token', async () => {
    const scope = nock(ROOT)
      .post(path('setWebhook'))
      .reply(400, { ok: false, error_code: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' });
    const { failure } = await failureOf(channel().setWebhook('http://loa.example/webhooks/telegram', 'abc'));
    expect(failure).toEqual({ kind: 'rejected' });
    expect(scope.isDone()).toBe(true);
  });
});
