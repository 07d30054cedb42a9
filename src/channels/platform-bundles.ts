import type { Redis } from 'ioredis';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { ChannelLimits, Platform } from './channel.js';
import type { PlatformBundle } from './channel-layer.js';
import { SandboxChannel } from './sandbox/sandbox-channel.js';
import type { SandboxStore } from './sandbox/sandbox-store.js';
import { TELEGRAM_MAX_CAPTION, TELEGRAM_MAX_TEXT, TelegramChannel } from './telegram/adapter.js';
import { TelegramPoller } from './telegram/poller.js';
import { TelegramWebhook } from './telegram/webhook.js';
import { ZaloBotChannel, ZALO_BOT_MAX_TEXT } from './zalo-bot/adapter.js';
import { ZaloBotApiClient } from './zalo-bot/api-client.js';
import { ZaloBotPoller } from './zalo-bot/poller.js';
import { ZaloBotWebhook } from './zalo-bot/webhook.js';
import { ZaloOaChannel, ZALO_OA_MAX_TEXT } from './zalo-oa/adapter.js';
import { ZaloOaApiClient } from './zalo-oa/api-client.js';
import { ZaloOaTokenStore } from './zalo-oa/token-store.js';
import { ZaloOaWebhook } from './zalo-oa/webhook.js';

type Rates = Omit<ChannelLimits, 'maxTextLength'>;
const limits = (maxTextLength: number, rates: Rates): ChannelLimits => ({ maxTextLength, ...rates });

export interface BundleDeps {
  sandbox: SandboxStore;
  redis: Redis;
  prefix: string;
  logger: Logger;
}

/** The platforms this configuration enables, each with its sender and its way of receiving. */
export async function platformBundles(config: Config, deps: BundleDeps): Promise<PlatformBundle[]> {
  const bundles: PlatformBundle[] = [];
  const { sandbox, zalo, zaloOa, telegram } = config.channels;
  const onPollError = (platform: string) => {
    const log = deps.logger.child({ platform });
    return (err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'polling problem');
  };
  if (sandbox.enabled) bundles.push({ adapter: new SandboxChannel(deps.sandbox) });

  if (zalo) {
    const client = new ZaloBotApiClient({ token: zalo.token, baseUrl: zalo.apiBase });
    bundles.push({
      adapter: new ZaloBotChannel({ client, limits: limits(ZALO_BOT_MAX_TEXT, zalo.rates) }),
      ...(zalo.mode === 'webhook'
        ? { receiver: new ZaloBotWebhook({ secret: zalo.webhookSecret! }) }
        : { poller: new ZaloBotPoller({ client, onError: onPollError('zalo') }) }),
    });
  }

  if (zaloOa) {
    const tokens = new ZaloOaTokenStore({ redis: deps.redis, prefix: deps.prefix, appId: zaloOa.appId, appSecret: zaloOa.appSecret, oauthBase: zaloOa.oauthBase });
    // The configured refresh token only seeds the store: a rotated one already stored is newer and wins.
    await tokens.bootstrap(zaloOa.refreshToken);
    bundles.push({
      adapter: new ZaloOaChannel({ client: new ZaloOaApiClient({ tokens, apiBase: zaloOa.apiBase }), limits: limits(ZALO_OA_MAX_TEXT, zaloOa.rates) }),
      receiver: new ZaloOaWebhook({ appId: zaloOa.appId, oaSecretKey: zaloOa.oaSecretKey }),
    });
  }

  if (telegram) {
    const { token, apiRoot } = telegram;
    bundles.push({
      adapter: new TelegramChannel({ token, apiRoot, limits: { ...limits(TELEGRAM_MAX_TEXT, telegram.rates), maxCaptionLength: TELEGRAM_MAX_CAPTION } }),
      ...(telegram.mode === 'webhook'
        ? { receiver: new TelegramWebhook({ secret: telegram.webhookSecret! }) }
        : { poller: new TelegramPoller({ token, apiRoot, onError: onPollError('telegram') }) }),
    });
  }
  return bundles;
}

/** The platforms a configuration enables, without building their adapters (for one-shot commands). */
export function enabledPlatforms(config: Config): Platform[] {
  const { sandbox, zalo, zaloOa, telegram } = config.channels;
  return [
    ...(sandbox.enabled ? (['sandbox'] as const) : []),
    ...(zalo ? (['zalo'] as const) : []),
    ...(zaloOa ? (['zalo-oa'] as const) : []),
    ...(telegram ? (['telegram'] as const) : []),
  ];
}
