import type { Platform } from './channel.js';
import { SANDBOX_LIMITS } from './sandbox/sandbox-channel.js';
import { TELEGRAM_MAX_TEXT } from './telegram/adapter.js';
import { ZALO_BOT_MAX_TEXT } from './zalo-bot/adapter.js';
import { ZALO_OA_MAX_TEXT } from './zalo-oa/adapter.js';

/** The longest text one message may carry on each platform, for checking text before it is queued. */
export const MAX_TEXT_LENGTH: Record<Platform, number> = {
  zalo: ZALO_BOT_MAX_TEXT,
  'zalo-oa': ZALO_OA_MAX_TEXT,
  telegram: TELEGRAM_MAX_TEXT,
  sandbox: SANDBOX_LIMITS.maxTextLength,
};
