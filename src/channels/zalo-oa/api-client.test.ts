import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelFailure } from '../channel.js';
import { ZaloOaApiClient, type ZaloOaAccessTokens } from './api-client.js';
import { DEFAULT_RETRY_AFTER_MS } from './failures.js';
import { ZaloOaTokenError } from './token-store.js';
import { channelFailureOf } from '../../../test/support/channel-errors.js';

const API = 'https://openapi.zalo.me';
const FIRST_TOKEN = 'AcCeSs-ToKeN-0001';
const SECOND_TOKEN = 'AcCeSs-ToKeN-0002';

/** Hands out FIRST_TOKEN until it is invalidated, then SECOND_TOKEN, as the token store would after a refresh. */
class StubTokens implements ZaloOaAccessTokens {
  invalidated: string[] = [];
  private current = FIRST_TOKEN;
  async accessToken(): Promise<string> {
    return this.current;
  }
  async invalidate(rejected: string): Promise<void> {
    this.invalidated.push(rejected);
    if (rejected === this.current) this.current = SECOND_TOKEN;
  }
}

let tokens: StubTokens;
const client = (options: { timeoutMs?: number; defaultRetryAfterMs?: number; fetch?: typeof fetch } = {}) =>
  new ZaloOaApiClient({ tokens, ...options });

const ok = (data: object) => ({ error: 0, message: 'Success', data });

const failureOf = (promise: Promise<unknown>) => channelFailureOf(promise, { platform: 'zalo-oa', secrets: [FIRST_TOKEN, SECOND_TOKEN] });

describe('ZaloOaApiClient', () => {
  beforeEach(() => {
    nock.disableNetConnect();
    tokens = new StubTokens();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  describe('requests', () => {
    it('sends group text to the Group Message Framework with the access token header', async () => {
      const scope = nock(API)
        .post('/v3.0/oa/group/message', { recipient: { group_id: 'g-1' }, message: { text: 'Xin chào cả nhóm' } })
        .matchHeader('access_token', FIRST_TOKEN)
        .matchHeader('content-type', 'application/json')
        .reply(200, ok({ message_id: 'm-1', group_id: 'g-1' }));
      expect(await client().sendGroupText('g-1', 'Xin chào cả nhóm')).toEqual({ messageId: 'm-1' });
      expect(scope.isDone()).toBe(true);
    });

    it('sends a group image as a media template with the caption as text', async () => {
      const scope = nock(API)
        .post('/v3.0/oa/group/message', {
          recipient: { group_id: 'g-1' },
          message: {
            text: 'Áp phích tuần này',
            attachment: {
              type: 'template',
              payload: { template_type: 'media', elements: [{ media_type: 'image', url: 'https://cdn.test/a.jpg' }] },
            },
          },
        })
        .matchHeader('access_token', FIRST_TOKEN)
        .reply(200, ok({ message_id: 'm-2', group_id: 'g-1' }));
      expect(await client().sendGroupImage('g-1', 'https://cdn.test/a.jpg', 'Áp phích tuần này')).toEqual({ messageId: 'm-2' });
      expect(scope.isDone()).toBe(true);
    });

    it('leaves the text out of an image without a caption', async () => {
      const scope = nock(API)
        .post('/v3.0/oa/message/cs', (body: { message: Record<string, unknown> }) => !('text' in body.message))
        .reply(200, ok({ message_id: 'm-3', user_id: 'u-1' }));
      expect(await client().sendUserImage('u-1', 'https://cdn.test/a.jpg')).toEqual({ messageId: 'm-3' });
      expect(scope.isDone()).toBe(true);
    });

    it('sends user text as a consultation message', async () => {
      const scope = nock(API)
        .post('/v3.0/oa/message/cs', { recipient: { user_id: 'u-1' }, message: { text: 'Cảm ơn bạn' } })
        .matchHeader('access_token', FIRST_TOKEN)
        .reply(200, ok({ message_id: 'm-4', user_id: 'u-1' }));
      expect(await client().sendUserText('u-1', 'Cảm ơn bạn')).toEqual({ messageId: 'm-4' });
      expect(scope.isDone()).toBe(true);
    });

    it('lists the groups of the OA with offset and count as query parameters', async () => {
      const scope = nock(API)
        .get('/v3.0/oa/group/getgroupsofoa')
        .query({ offset: '10', count: '2' })
        .matchHeader('access_token', FIRST_TOKEN)
        .reply(200, ok({
          offset: 10,
          count: 2,
          total: 11,
          groups: [{ group_id: 'g-11', name: 'Tổ dân phố 3', status: 'enabled', total_member: 42, group_link: 'https://zalo.me/g/x' }],
        }));
      expect(await client().listGroups(10, 2)).toEqual({
        total: 11,
        groups: [{ groupId: 'g-11', name: 'Tổ dân phố 3', status: 'enabled', totalMember: 42 }],
      });
      expect(scope.isDone()).toBe(true);
    });
  });

  describe('a refused access token', () => {
    it('is invalidated and the call is made once more with a fresh one', async () => {
      const scope = nock(API)
        .post('/v3.0/oa/group/message')
        .matchHeader('access_token', FIRST_TOKEN)
        .reply(200, { error: -216, message: 'Access token is invalid' })
        .post('/v3.0/oa/group/message')
        .matchHeader('access_token', SECOND_TOKEN)
        .reply(200, ok({ message_id: 'm-5' }));
      expect(await client().sendGroupText('g-1', 'hi')).toEqual({ messageId: 'm-5' });
      expect(tokens.invalidated).toEqual([FIRST_TOKEN]);
      expect(scope.isDone()).toBe(true);
    });

    it('is retried only once, then the send is transient', async () => {
      const scope = nock(API)
        .post('/v3.0/oa/message/cs')
        .reply(200, { error: -216, message: 'Access token is invalid' })
        .post('/v3.0/oa/message/cs')
        .reply(200, { error: -220, message: 'access_token is expired or removed' });
      const { failure, message } = await failureOf(client().sendUserText('u-1', 'hi'));
      expect(failure).toEqual({ kind: 'transient' });
      expect(message).toContain('-220');
      expect(tokens.invalidated).toEqual([FIRST_TOKEN]);
      expect(scope.isDone()).toBe(true);
    });

    it('makes a send transient when no token can be had, with the store’s reason', async () => {
      const broken: ZaloOaAccessTokens = {
        accessToken: () => Promise.reject(new ZaloOaTokenError('refused', 'Zalo OA token refresh: Zalo refused the refresh token (error -14014: Invalid refresh token)')),
        invalidate: () => Promise.resolve(),
      };
      const { failure, message } = await failureOf(new ZaloOaApiClient({ tokens: broken }).sendGroupText('g-1', 'hi'));
      expect(failure).toEqual({ kind: 'transient' });
      expect(message).toContain('-14014');
    });
  });

  describe('failures', () => {
    const cases: Array<[string, number, ChannelFailure]> = [
      ['Your OA reached limit call api', -32, { kind: 'rate-limited', retryAfterMs: DEFAULT_RETRY_AFTER_MS }],
      ['Out of quota', -211, { kind: 'rate-limited', retryAfterMs: DEFAULT_RETRY_AFTER_MS }],
      ['Out of quota receive', -218, { kind: 'rate-limited', retryAfterMs: DEFAULT_RETRY_AFTER_MS }],
      ['OA is not in group', -403, { kind: 'permanent', reason: 'removed-from-group' }],
      ['The group is disabled', -237, { kind: 'permanent', reason: 'forbidden' }],
      ['User has not followed OA', -213, { kind: 'permanent', reason: 'blocked' }],
      ['User has restricted this message type from your OA', -244, { kind: 'permanent', reason: 'blocked' }],
      ['User has not interacted with the OA in the past 7 days', -230, { kind: 'permanent', reason: 'forbidden' }],
      ['User has not interacted with the OA, or the last interaction has expired', -232, { kind: 'permanent', reason: 'forbidden' }],
      ['text is invalid!', -201, { kind: 'rejected' }],
      ['User is banned or has been inactive for more than 45 days', -227, { kind: 'rejected' }],
      ['The OA needs to upgrade OA Tier Package to use this feature', -224, { kind: 'rejected' }],
    ];
    it.each(cases)('%s (%i) is classified', async (text, code, expected) => {
      const scope = nock(API).post('/v3.0/oa/group/message').reply(200, { error: code, message: text });
      const { failure, message } = await failureOf(client().sendGroupText('g-1', 'hi'));
      expect(failure).toEqual(expected);
      expect(message).toContain(`Zalo error ${code} (${text})`);
      expect(message).not.toContain('g-1');
      expect(scope.isDone()).toBe(true);
    });

    it('waits the configured time after a rate refusal', async () => {
      const scope = nock(API).post('/v3.0/oa/group/message').reply(200, { error: -32, message: 'Your application reached limit call api' });
      const { failure } = await failureOf(client({ defaultRetryAfterMs: 5_000 }).sendGroupText('g-1', 'hi'));
      expect(failure).toEqual({ kind: 'rate-limited', retryAfterMs: 5_000 });
      expect(scope.isDone()).toBe(true);
    });

    it('honours Retry-After on an HTTP 429 from in front of the API', async () => {
      const scope = nock(API).post('/v3.0/oa/group/message').reply(429, 'Too Many Requests', { 'retry-after': '7' });
      expect((await failureOf(client().sendGroupText('g-1', 'hi'))).failure).toEqual({ kind: 'rate-limited', retryAfterMs: 7_000 });
      expect(scope.isDone()).toBe(true);
    });

    it('makes a 5xx, a network error, nonsense and missing data transient', async () => {
      const scope = nock(API)
        .post('/v3.0/oa/group/message')
        .reply(502, '<html>Bad Gateway</html>')
        .post('/v3.0/oa/group/message')
        .reply(500, { error: -201, message: 'whatever' })
        .post('/v3.0/oa/group/message')
        .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
        .post('/v3.0/oa/group/message')
        .reply(200, 'not json')
        .post('/v3.0/oa/group/message')
        .reply(200, { error: 0, message: 'Success', data: {} });
      const messages: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { failure, message } = await failureOf(client().sendGroupText('g-1', 'hi'));
        expect(failure).toEqual({ kind: 'transient' });
        messages.push(message);
      }
      expect(messages[0]).toContain('HTTP 502');
      expect(messages[2]).toContain('network error');
      expect(messages[3]).toContain('malformed');
      expect(messages[4]).toContain('unexpected data');
      expect(scope.isDone()).toBe(true);
    });

    it('makes another HTTP client error rejected', async () => {
      const scope = nock(API).post('/v3.0/oa/group/message').reply(404, 'Not Found');
      expect((await failureOf(client().sendGroupText('g-1', 'hi'))).failure).toEqual({ kind: 'rejected' });
      expect(scope.isDone()).toBe(true);
    });

    it('makes a timeout transient', async () => {
      // A server that never answers, as an injected fetch: nock's delayed replies trip an assertion inside
      // Node 20's fetch when the request was aborted first.
      const hanging: typeof fetch = (_url, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
      const { failure, message } = await failureOf(client({ timeoutMs: 50, fetch: hanging }).sendGroupText('g-1', 'hi'));
      expect(failure).toEqual({ kind: 'transient' });
      expect(message).toContain('timed out');
    });

    it('never repeats the access token, even when Zalo does', async () => {
      const scope = nock(API)
        .post('/v3.0/oa/group/message')
        .reply(200, { error: -201, message: `access_token ${FIRST_TOKEN} is invalid!` });
      const { message } = await failureOf(client().sendGroupText('g-1', 'hi'));
      expect(message).toContain('<token>');
      expect(scope.isDone()).toBe(true);
    });
  });
});
