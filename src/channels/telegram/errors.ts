import { TelegramError } from 'telegraf';
import { ChannelError, type ChannelFailure } from '../channel.js';
import { withoutToken } from '../security.js';

/** Telegram always sends `retry_after` with a 429; this only guards against a reply that lacks it. */
const MISSING_RETRY_AFTER_MS = 5_000;

/**
 * What a refusal from the Bot API means for the outbound layer. Telegram tells cases apart only by the words of
 * `description`, so those are matched here and nowhere else.
 */
function classifyRefusal(code: number, description: string, retryAfterSeconds: number | undefined): ChannelFailure {
  if (code === 429) {
    const usable = retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0;
    return { kind: 'rate-limited', retryAfterMs: usable ? retryAfterSeconds * 1000 : MISSING_RETRY_AFTER_MS };
  }
  if (code === 403) {
    if (/blocked by the user/i.test(description)) return { kind: 'permanent', reason: 'blocked' };
    if (/kicked from the|bot is not a member/i.test(description)) return { kind: 'permanent', reason: 'removed-from-group' };
    return { kind: 'permanent', reason: 'forbidden' };
  }
  if (code === 400) {
    // An upgraded group lives on under a new id (parameters.migrate_to_chat_id): the old id takes nothing more.
    if (/chat not found|upgraded to a supergroup/i.test(description)) return { kind: 'permanent', reason: 'chat-not-found' };
    return { kind: 'rejected' };
  }
  // 401 (wrong token), 404 (wrong API root) and 409 (webhook set while polling) are the operator's to fix, not the
  // chat's or the message's fault: retrying later keeps the messages, where any other kind would drop them.
  if (code === 401 || code === 404 || code === 409 || code >= 500) return { kind: 'transient' };
  return { kind: 'rejected' };
}

/**
 * Turns anything a Bot API call threw into a ChannelError. `timedOut` tells our own deadline apart from other
 * aborts, since node-fetch reports both the same way.
 */
export function toChannelError(error: unknown, token: string, timedOut: boolean): ChannelError {
  if (error instanceof TelegramError) {
    const failure = classifyRefusal(error.code, error.description, error.parameters?.retry_after);
    return new ChannelError('telegram', failure, withoutToken(error.message, token));
  }
  const detail = timedOut ? 'no answer in time' : error instanceof Error ? error.message : String(error);
  return new ChannelError('telegram', { kind: 'transient' }, withoutToken(detail, token));
}
