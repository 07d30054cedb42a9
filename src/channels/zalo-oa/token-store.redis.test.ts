import type { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, testPrefix, testRedis } from '../../../test/support/redis.js';
import { REFRESH_MARGIN_MS, ZaloOaTokenError, ZaloOaTokenStore, type ZaloOaTokenStoreOptions } from './token-store.js';

const OAUTH = 'https://oauth.zaloapp.com';
const APP_ID = '1234567890';
const APP_SECRET = 'app-secret-value';
const T0 = 1_750_000_000_000;

let prefix: string;
let redis: Redis;
const others: Redis[] = [];
let clock: number;

beforeEach(() => {
  redis = testRedis();
  nock.disableNetConnect();
  prefix = testPrefix();
  clock = T0;
});

afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await deleteKeys(redis, prefix);
  for (const other of others.splice(0)) other.disconnect();
  redis.disconnect();
});

function store(overrides: Partial<ZaloOaTokenStoreOptions> = {}): ZaloOaTokenStore {
  return new ZaloOaTokenStore({ redis, prefix, appId: APP_ID, appSecret: APP_SECRET, now: () => clock, ...overrides });
}

const pairKey = () => `${prefix}:channels:zalo-oa:${APP_ID}:tokens`;
const lockKey = () => `${prefix}:channels:zalo-oa:${APP_ID}:refresh-lock`;

/** Zalo's token endpoint answering one refresh of `from`, with `to` as the new pair. */
function refreshes(from: string, to: { access: string; refresh: string }, delayMs = 0): nock.Scope {
  return nock(OAUTH)
    .post('/v4/oa/access_token', { grant_type: 'refresh_token', app_id: APP_ID, refresh_token: from })
    .matchHeader('secret_key', APP_SECRET)
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .delay(delayMs)
    .reply(200, { access_token: to.access, refresh_token: to.refresh, expires_in: '90000' });
}

describe('ZaloOaTokenStore', () => {
  it('bootstraps the refresh token only when none is stored, so a rotated token survives a restart', async () => {
    expect(await store().bootstrap('refresh-from-env')).toBe(true);
    const scope = refreshes('refresh-from-env', { access: 'access-1', refresh: 'refresh-2' });
    expect(await store().accessToken()).toBe('access-1');
    expect(scope.isDone()).toBe(true);

    expect(await store().bootstrap('refresh-from-env')).toBe(false);
    expect(await redis.hget(pairKey(), 'refreshToken')).toBe('refresh-2');
  });

  it('refreshes with the app secret header and form body, and keeps the new pair in one hash', async () => {
    await store().bootstrap('refresh-1');
    const scope = refreshes('refresh-1', { access: 'access-1', refresh: 'refresh-2' });
    expect(await store().accessToken()).toBe('access-1');
    expect(scope.isDone()).toBe(true);
    expect(await redis.hgetall(pairKey())).toEqual({
      accessToken: 'access-1',
      refreshToken: 'refresh-2',
      expiresAt: String(T0 + 90_000_000),
      rotatedAt: String(T0),
    });
    expect(await redis.exists(lockKey())).toBe(0);
  });

  it('hands out the stored token while it has more than five minutes left, and refreshes after that', async () => {
    await store().bootstrap('refresh-1');
    const first = refreshes('refresh-1', { access: 'access-1', refresh: 'refresh-2' });
    const tokens = store();
    expect(await tokens.accessToken()).toBe('access-1');
    expect(first.isDone()).toBe(true);

    clock = T0 + 90_000_000 - REFRESH_MARGIN_MS - 1;
    expect(await tokens.accessToken()).toBe('access-1');

    clock += 2;
    const second = refreshes('refresh-2', { access: 'access-2', refresh: 'refresh-3' });
    expect(await tokens.accessToken()).toBe('access-2');
    expect(second.isDone()).toBe(true);
  });

  it('refreshes exactly once when two processes ask at the same time', async () => {
    await store().bootstrap('refresh-1');
    let calls = 0;
    const scope = refreshes('refresh-1', { access: 'access-1', refresh: 'refresh-2' }, 300).on('request', () => calls++);
    const otherRedis = testRedis();
    others.push(otherRedis);
    const a = store();
    const b = store({ redis: otherRedis });

    const tokens = await Promise.all([a.accessToken(), b.accessToken(), a.accessToken(), b.accessToken()]);
    expect(tokens).toEqual(['access-1', 'access-1', 'access-1', 'access-1']);
    expect(calls).toBe(1);
    expect(scope.isDone()).toBe(true);
    expect(await redis.hget(pairKey(), 'refreshToken')).toBe('refresh-2');
  });

  it('keeps the old pair when Zalo refuses the refresh, and says why without any secret', async () => {
    await redis.hset(pairKey(), { accessToken: 'access-old', refreshToken: 'refresh-used', expiresAt: String(T0 + 60_000) });
    const scope = nock(OAUTH)
      .post('/v4/oa/access_token')
      .reply(200, { error: -14014, error_name: 'Invalid refresh token', error_description: 'refresh-used is not valid' });

    const error = await store().accessToken().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ZaloOaTokenError);
    expect((error as ZaloOaTokenError).reason).toBe('refused');
    expect((error as Error).message).toContain('-14014');
    for (const secret of ['refresh-used', 'access-old', APP_SECRET]) expect((error as Error).message).not.toContain(secret);
    expect(scope.isDone()).toBe(true);
    expect(await redis.hgetall(pairKey())).toEqual({
      accessToken: 'access-old',
      refreshToken: 'refresh-used',
      expiresAt: String(T0 + 60_000),
    });
    expect(await redis.exists(lockKey())).toBe(0);
  });

  it('keeps the old pair when the OAuth server fails or answers nonsense', async () => {
    await store().bootstrap('refresh-1');
    nock(OAUTH).post('/v4/oa/access_token').replyWithError('socket hang up');
    await expect(store().accessToken()).rejects.toMatchObject({ reason: 'unavailable' });
    nock(OAUTH).post('/v4/oa/access_token').reply(502, '<html>Bad Gateway</html>');
    await expect(store().accessToken()).rejects.toMatchObject({ reason: 'unavailable' });
    nock(OAUTH).post('/v4/oa/access_token').reply(200, { access_token: 'only-half' });
    await expect(store().accessToken()).rejects.toMatchObject({ reason: 'unavailable' });
    expect(await redis.hgetall(pairKey())).toEqual({ refreshToken: 'refresh-1' });
    expect(nock.isDone()).toBe(true);
  });

  it('refreshes after invalidate() of the current token, but not after invalidate() of an older one', async () => {
    await redis.hset(pairKey(), { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: String(T0 + 3_600_000) });
    const tokens = store();

    await tokens.invalidate('access-0');
    expect(await tokens.accessToken()).toBe('access-1');

    await tokens.invalidate('access-1');
    const scope = refreshes('refresh-1', { access: 'access-2', refresh: 'refresh-2' });
    expect(await tokens.accessToken()).toBe('access-2');
    expect(scope.isDone()).toBe(true);
  });

  it('says a refresh token must be bootstrapped when none is stored', async () => {
    await expect(store().accessToken()).rejects.toMatchObject({ reason: 'not-bootstrapped' });
    await expect(store().bootstrap('')).rejects.toThrow('empty');
  });

  it('gives up waiting when another holder keeps the lock, without calling Zalo', async () => {
    await store().bootstrap('refresh-1');
    await redis.set(lockKey(), 'someone-else', 'PX', 10_000);
    const error = await store({ lockTtlMs: 300, requestTimeoutMs: 100 })
      .accessToken()
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ reason: 'busy' });
    expect(await redis.get(lockKey())).toBe('someone-else');
  });

  it('refuses a lock that could lapse during a refresh call', () => {
    expect(() => store({ lockTtlMs: 1_000, requestTimeoutMs: 1_000 })).toThrow(RangeError);
  });
});
