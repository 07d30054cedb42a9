import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signZaloOaWebhook, ZaloOaFake } from '../../../test/fakes/zalo-oa-fake.js';
import { deleteKeys, testPrefix, testRedis } from '../../../test/support/redis.js';
import { ChannelError, type ChannelFailure, type ChannelLimits } from '../channel.js';
import { groupChatId, parseZaloOaChatId, userChatId, ZALO_OA_MAX_TEXT, ZaloOaChannel } from './adapter.js';
import { ZaloOaApiClient } from './api-client.js';
import { DEFAULT_RETRY_AFTER_MS } from './failures.js';
import { ZaloOaTokenStore } from './token-store.js';
import { ZaloOaWebhook } from './webhook.js';

const LIMITS: ChannelLimits = {
  maxTextLength: ZALO_OA_MAX_TEXT,
  messagesPerSecond: 5,
  groupMessagesPerMinute: 20,
  privateMessagesPerMinute: 20,
};

let fake: ZaloOaFake;
let baseUrl: string;
let redis: Redis;
let prefix: string;
let tokens: ZaloOaTokenStore;
let client: ZaloOaApiClient;
let channel: ZaloOaChannel;

beforeEach(async () => {
  fake = new ZaloOaFake({ groups: ['g-ward-3'] });
  baseUrl = await fake.start();
  redis = testRedis();
  prefix = testPrefix();
  tokens = new ZaloOaTokenStore({ redis, prefix, appId: fake.appId, appSecret: fake.appSecret, oauthBase: baseUrl });
  await tokens.bootstrap(fake.currentRefreshToken);
  client = new ZaloOaApiClient({ tokens, apiBase: baseUrl, timeoutMs: 300 });
  channel = new ZaloOaChannel({ client, limits: LIMITS });
});

afterEach(async () => {
  await fake.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

async function failureOf(promise: Promise<unknown>): Promise<ChannelFailure> {
  const err = await promise.then(
    () => expect.unreachable('expected a ChannelError'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChannelError);
  return (err as ChannelError).failure;
}

const apiRequests = () => fake.requests.filter((r) => r.path.startsWith('/v3.0/'));

describe('chat ids', () => {
  it('name a group or a user, and nothing else parses', () => {
    expect(groupChatId('f414c8f76fa586fbdfb4')).toBe('group:f414c8f76fa586fbdfb4');
    expect(userChatId('2468458835296117922')).toBe('user:2468458835296117922');
    expect(parseZaloOaChatId('group:g-1')).toEqual({ kind: 'group', groupId: 'g-1' });
    expect(parseZaloOaChatId('user:u-1')).toEqual({ kind: 'user', userId: 'u-1' });
    for (const bad of ['g-1', 'group:', 'user: x', 'chat:1', 'group:a:b', `user:${'x'.repeat(191)}`]) {
      expect(parseZaloOaChatId(bad), bad).toBeUndefined();
    }
  });
});

describe('ZaloOaChannel against the fake Open API', () => {
  it('sends text and photos to groups and users, refreshing the token once for all of them', async () => {
    expect(channel.platform).toBe('zalo-oa');
    const sent = [
      await channel.send('group:g-ward-3', { kind: 'text', text: 'Họp tổ dân phố tối nay' }),
      await channel.send('user:u-1', { kind: 'text', text: 'Cảm ơn bạn đã báo tin' }),
      await channel.send('group:g-ward-3', { kind: 'photo', url: 'https://cdn.test/poster.jpg', caption: 'Áp phích' }),
      await channel.send('user:u-1', { kind: 'photo', url: 'https://cdn.test/poster.jpg' }),
    ];
    expect(fake.sent).toEqual([
      { chatId: 'group:g-ward-3', kind: 'text', text: 'Họp tổ dân phố tối nay', imageUrl: undefined, messageId: sent[0]?.messageId },
      { chatId: 'user:u-1', kind: 'text', text: 'Cảm ơn bạn đã báo tin', imageUrl: undefined, messageId: sent[1]?.messageId },
      { chatId: 'group:g-ward-3', kind: 'photo', text: 'Áp phích', imageUrl: 'https://cdn.test/poster.jpg', messageId: sent[2]?.messageId },
      { chatId: 'user:u-1', kind: 'photo', text: undefined, imageUrl: 'https://cdn.test/poster.jpg', messageId: sent[3]?.messageId },
    ]);
    expect(fake.refreshes).toBe(1);
    expect(new Set(apiRequests().map((r) => r.accessToken)).size).toBe(1);
  });

  it('sends text in NFC and refuses text longer than the limit without calling Zalo', async () => {
    const decomposed = 'Tiếng Việt'.normalize('NFD');
    await channel.send('group:g-ward-3', { kind: 'text', text: decomposed });
    expect(fake.sent[0]?.text).toBe('Tiếng Việt'.normalize('NFC'));

    const before = fake.requests.length;
    expect(await failureOf(channel.send('group:g-ward-3', { kind: 'text', text: 'a'.repeat(ZALO_OA_MAX_TEXT + 1) }))).toEqual({ kind: 'rejected' });
    expect(await failureOf(channel.send('user:u-1', { kind: 'photo', url: 'https://cdn.test/a.jpg', caption: 'a'.repeat(2001) }))).toEqual({
      kind: 'rejected',
    });
    expect(await failureOf(channel.send('g-ward-3', { kind: 'text', text: 'hi' }))).toEqual({ kind: 'rejected' });
    expect(fake.requests.length).toBe(before);
  });

  it('only takes a text limit Zalo can carry', () => {
    expect(() => new ZaloOaChannel({ client, limits: { ...LIMITS, maxTextLength: 4096 } })).toThrow(RangeError);
  });

  it('refreshes an access token Zalo stopped accepting and sends once more', async () => {
    await channel.send('group:g-ward-3', { kind: 'text', text: 'một' });
    fake.expireAccessTokens();
    await channel.send('group:g-ward-3', { kind: 'text', text: 'hai' });
    expect(fake.sent.map((s) => s.text)).toEqual(['một', 'hai']);
    expect(fake.refreshes).toBe(2);
    expect(apiRequests().length).toBe(3);
  });

  it('has a fake OAuth server that refuses a refresh token used before, like Zalo', async () => {
    const used = fake.currentRefreshToken;
    await channel.send('group:g-ward-3', { kind: 'text', text: 'một' });
    const again = await fetch(`${baseUrl}/v4/oa/access_token`, {
      method: 'POST',
      headers: { secret_key: fake.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', app_id: fake.appId, refresh_token: used }),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ error: -14014, error_name: 'Invalid refresh token' });
    expect(await redis.hget(`${prefix}:channels:zalo-oa:${fake.appId}:tokens`, 'refreshToken')).toBe(fake.currentRefreshToken);
  });

  it('classifies the faults the fake injects', async () => {
    fake.failNext(1, { kind: 'rate-limit', retryAfterSeconds: 3 });
    expect(await failureOf(channel.send('group:g-ward-3', { kind: 'text', text: 'x' }))).toEqual({
      kind: 'rate-limited',
      retryAfterMs: DEFAULT_RETRY_AFTER_MS,
    });
    fake.failNext(1, { kind: 'server-error' });
    expect(await failureOf(channel.send('group:g-ward-3', { kind: 'text', text: 'x' }))).toEqual({ kind: 'transient' });
    fake.failNext(1, { kind: 'not-in-group' });
    expect(await failureOf(channel.send('group:g-ward-3', { kind: 'text', text: 'x' }))).toEqual({
      kind: 'permanent',
      reason: 'removed-from-group',
    });
    fake.failNext(1, { kind: 'blocked' });
    expect(await failureOf(channel.send('user:u-1', { kind: 'text', text: 'x' }))).toEqual({ kind: 'permanent', reason: 'blocked' });
    expect(fake.sent).toEqual([]);

    await channel.send('group:g-ward-3', { kind: 'text', text: 'after the faults' });
    expect(fake.sent.map((s) => s.text)).toEqual(['after the faults']);
  });

  it('makes a held answer a transient failure and records nothing for the abandoned request', async () => {
    await tokens.accessToken();
    fake.failNext(1, { kind: 'timeout', ms: 1_000 });
    expect(await failureOf(channel.send('group:g-ward-3', { kind: 'text', text: 'slow' }))).toEqual({ kind: 'transient' });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(fake.sent).toEqual([]);
  });

  it('gives up on a group the OA left', async () => {
    fake.leaveGroup('g-ward-3');
    expect(await failureOf(channel.send('group:g-ward-3', { kind: 'text', text: 'x' }))).toEqual({
      kind: 'permanent',
      reason: 'removed-from-group',
    });
  });

  it('lists the groups the OA is in', async () => {
    fake.joinGroup('g-ward-4');
    expect(await client.listGroups(0, 1)).toEqual({
      total: 2,
      groups: [{ groupId: 'g-ward-3', name: 'Nhóm g-ward-3', status: 'enabled', totalMember: 3 }],
    });
    expect((await client.listGroups(1, 5)).groups.map((g) => g.groupId)).toEqual(['g-ward-4']);
  });

  it('has a webhook signer the receiver accepts', () => {
    const raw = JSON.stringify({ event_name: 'user_send_group_text', timestamp: String(Date.now()), sender: { id: 'u-1' } });
    const receiver = new ZaloOaWebhook({ appId: fake.appId, oaSecretKey: 'oa-secret' });
    expect(receiver.verify({ 'x-zevent-signature': signZaloOaWebhook(fake.appId, 'oa-secret', raw) }, Buffer.from(raw))).toBe(true);
    expect(receiver.verify({ 'x-zevent-signature': signZaloOaWebhook(fake.appId, 'other', raw) }, Buffer.from(raw))).toBe(false);
  });
});
