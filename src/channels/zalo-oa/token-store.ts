import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { withoutToken } from '../security.js';
import { oauthErrorSchema, oauthTokensSchema, parseJson, storedTokensSchema } from './schemas.js';

export const ZALO_OAUTH_BASE_URL = 'https://oauth.zaloapp.com';
/** An access token this close to its expiry is refreshed before use, so a send never races the expiry. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Longer than a refresh call can take, so the lock never lapses while its holder still waits for Zalo. */
const DEFAULT_LOCK_TTL_MS = 30_000;
const LOCK_POLL_MS = 50;

/** Deletes the lock only if it still holds this holder's token, so a lapsed holder cannot free someone else's. */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
/** Expires the stored access token only if it is the one refused, never a newer one another process just stored. */
const EXPIRE_IF_CURRENT = `if redis.call('hget', KEYS[1], 'accessToken') == ARGV[1] then
  return redis.call('hset', KEYS[1], 'expiresAt', '0') end return 0`;

/**
 * - `not-bootstrapped`: no refresh token stored yet;
 * - `refused`: Zalo refused the refresh token (used, expired or revoked): an OA admin must grant access again;
 * - `unavailable`: the OAuth server could not be reached or answered nonsense; the stored pair is unchanged;
 * - `busy`: another process held the refresh lock for longer than a refresh may take.
 */
export type ZaloOaTokenFailure = 'not-bootstrapped' | 'refused' | 'unavailable' | 'busy';

/** Never carries a token or the app secret. */
export class ZaloOaTokenError extends Error {
  constructor(
    readonly reason: ZaloOaTokenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ZaloOaTokenError';
  }
}

export interface ZaloOaTokenStoreOptions {
  redis: Redis;
  /** The service's Redis key prefix; the store's keys live under `${prefix}:channels:zalo-oa:`. */
  prefix: string;
  appId: string;
  /** The app's secret key, sent as the `secret_key` header of the token call. */
  appSecret: string;
  oauthBase?: string;
  fetch?: typeof fetch;
  now?: () => number;
  requestTimeoutMs?: number;
  /** How long one process may hold the refresh lock; others wait at most this long for it. */
  lockTtlMs?: number;
}

interface StoredTokens {
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: number;
}

/**
 * The OA's access and refresh token, shared by every process through one Redis hash. Zalo's refresh token is
 * single-use: a refresh invalidates it and hands out a new one. So only one process refreshes at a time (a Redis
 * lock), and the new pair is written in one HSET before the new access token is handed to anyone; if that write
 * fails, the new pair is dropped rather than used, since nothing could refresh again after it.
 */
export class ZaloOaTokenStore {
  private readonly redis: Redis;
  private readonly pairKey: string;
  private readonly lockKey: string;
  private readonly appId: string;
  private readonly appSecret: string;
  private readonly tokenUrl: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly requestTimeoutMs: number;
  private readonly lockTtlMs: number;
  /** Callers in this process share one refresh instead of each polling the lock. */
  private refreshing: Promise<string> | undefined;

  constructor(options: ZaloOaTokenStoreOptions) {
    if (!options.appId || !options.appSecret) throw new Error('A Zalo app id and app secret are required.');
    this.redis = options.redis;
    const base = `${options.prefix}:channels:zalo-oa:${options.appId}`;
    this.pairKey = `${base}:tokens`;
    this.lockKey = `${base}:refresh-lock`;
    this.appId = options.appId;
    this.appSecret = options.appSecret;
    this.tokenUrl = `${(options.oauthBase ?? ZALO_OAUTH_BASE_URL).replace(/\/+$/, '')}/v4/oa/access_token`;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.lockTtlMs = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
    if (this.requestTimeoutMs >= this.lockTtlMs) throw new RangeError('The refresh lock must outlive a refresh call.');
  }

  /**
   * Stores the refresh token an admin obtained, unless one is stored already: after the first refresh the stored
   * token is newer than the one in the configuration, and the configured one no longer works. True if stored.
   */
  async bootstrap(refreshToken: string): Promise<boolean> {
    if (!refreshToken) throw new Error('The Zalo OA refresh token is empty.');
    return (await this.redis.hsetnx(this.pairKey, 'refreshToken', refreshToken)) === 1;
  }

  /** A token valid for at least REFRESH_MARGIN_MS more, refreshing it first if needed. */
  async accessToken(): Promise<string> {
    const stored = await this.read();
    if (this.isFresh(stored)) return stored.accessToken;
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Called after Zalo refused `rejected` (`-216`): the next `accessToken()` refreshes. */
  async invalidate(rejected: string): Promise<void> {
    await this.redis.eval(EXPIRE_IF_CURRENT, 1, this.pairKey, rejected);
  }

  private async refreshOnce(): Promise<string> {
    const giveUpAt = Date.now() + this.lockTtlMs + this.requestTimeoutMs;
    for (;;) {
      const holder = randomBytes(16).toString('hex');
      if ((await this.redis.set(this.lockKey, holder, 'PX', this.lockTtlMs, 'NX')) === 'OK') {
        try {
          // Another process may have refreshed between our read and taking the lock.
          const stored = await this.read();
          if (this.isFresh(stored)) return stored.accessToken;
          if (!stored.refreshToken) throw this.notBootstrapped();
          return await this.rotate(stored.refreshToken);
        } finally {
          await this.redis.eval(RELEASE_LOCK, 1, this.lockKey, holder);
        }
      }
      if (Date.now() > giveUpAt) throw new ZaloOaTokenError('busy', 'Zalo OA token refresh: the refresh lock stayed taken.');
      await sleep(LOCK_POLL_MS);
      const stored = await this.read();
      if (this.isFresh(stored)) return stored.accessToken;
    }
  }

  private async rotate(refreshToken: string): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'refresh_token', app_id: this.appId, refresh_token: refreshToken });
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(this.tokenUrl, {
        method: 'POST',
        headers: { secret_key: this.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw this.failure('unavailable', `the OAuth server did not answer (${why})`, refreshToken);
    }
    const json = parseJson(text);
    const tokens = oauthTokensSchema.safeParse(json);
    if (response.ok && tokens.success) {
      const { access_token: accessToken, refresh_token: newRefreshToken, expires_in: expiresIn } = tokens.data;
      const now = this.now();
      // One HSET, so a reader sees the old pair or the new one, never half of each.
      await this.redis.hset(this.pairKey, {
        accessToken,
        refreshToken: newRefreshToken,
        expiresAt: String(now + expiresIn * 1000),
        rotatedAt: String(now),
      });
      return accessToken;
    }
    const refusal = oauthErrorSchema.safeParse(json);
    if (refusal.success && refusal.data.error !== 0 && response.status < 500) {
      const name = refusal.data.error_name ?? refusal.data.error_description ?? 'no reason given';
      throw this.failure('refused', `Zalo refused the refresh token (error ${refusal.data.error}: ${name})`, refreshToken);
    }
    throw this.failure('unavailable', `unexpected answer from the OAuth server (HTTP ${response.status})`, refreshToken);
  }

  private async read(): Promise<StoredTokens> {
    return storedTokensSchema.parse(await this.redis.hgetall(this.pairKey));
  }

  private isFresh(stored: StoredTokens): stored is StoredTokens & { accessToken: string } {
    return stored.accessToken !== undefined && (stored.expiresAt ?? 0) - this.now() > REFRESH_MARGIN_MS;
  }

  private notBootstrapped(): ZaloOaTokenError {
    const why = 'Zalo OA token refresh: no refresh token is stored; bootstrap one first.';
    return new ZaloOaTokenError('not-bootstrapped', why);
  }

  private failure(reason: ZaloOaTokenFailure, detail: string, refreshToken: string): ZaloOaTokenError {
    const safe = withoutToken(withoutToken(detail, refreshToken), this.appSecret);
    return new ZaloOaTokenError(reason, `Zalo OA token refresh: ${safe}`);
  }
}
