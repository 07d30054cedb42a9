import type { ChannelFailure } from '../channel.js';

/**
 * Zalo gives no retry hint with a rate or quota refusal; the per-minute rate window resets each minute, so a
 * minute is the shortest wait that is sure to help.
 */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

/** `-216` Access token is invalid, `-220` access_token is expired or removed: refresh and try once more. */
export const TOKEN_REFUSED_CODES: ReadonlySet<number> = new Set([-216, -220]);

/**
 * The Official Account error codes (developers.zalo.me, "phụ lục / mã lỗi") that say something about the chat or
 * the sending rate. Everything else, e.g. `-201 <field> is invalid!`, `-233` unsupported message type, or an OA
 * that lacks a package or permission, is `rejected`: a chat is only given up on when Zalo says so plainly. Left
 * out on purpose: `-217` (blocked *invitations*, which we never send) and `-227` (user banned or inactive for
 * 45 days, which can end).
 */
const CLASSIFIED: ReadonlyMap<number, ChannelFailure | 'rate'> = new Map<number, ChannelFailure | 'rate'>([
  [-32, 'rate'], // Your application / Your OA reached limit call api (per minute)
  [-211, 'rate'], // Out of quota
  [-218, 'rate'], // Out of quota receive (this user's share of the OA's messages)
  [-403, { kind: 'permanent', reason: 'removed-from-group' }], // OA is not in group
  [-237, { kind: 'permanent', reason: 'forbidden' }], // The group is disabled (its GMF package expired)
  [-213, { kind: 'permanent', reason: 'blocked' }], // User has not followed OA
  [-244, { kind: 'permanent', reason: 'blocked' }], // User has restricted this message type from your OA
  [-230, { kind: 'permanent', reason: 'forbidden' }], // User has not interacted with the OA in the past 7 days
  [-232, { kind: 'permanent', reason: 'forbidden' }], // User has not interacted, or the last interaction expired
]);

export function classifyApiError(code: number, defaultRetryAfterMs: number = DEFAULT_RETRY_AFTER_MS): ChannelFailure {
  const known = CLASSIFIED.get(code);
  if (known === 'rate') return { kind: 'rate-limited', retryAfterMs: defaultRetryAfterMs };
  return known ?? { kind: 'rejected' };
}

/** For an answer that is not an API envelope at all: 429 asks for a wait, 5xx may pass later, other codes will not. */
export function classifyHttpStatus(
  status: number,
  retryAfter: string | null,
  defaultRetryAfterMs: number = DEFAULT_RETRY_AFTER_MS,
): ChannelFailure {
  if (status === 429) {
    const seconds = retryAfter?.trim() ?? '';
    const retryAfterMs = /^\d+(?:\.\d+)?$/.test(seconds) ? Math.ceil(Number(seconds) * 1000) : defaultRetryAfterMs;
    return { kind: 'rate-limited', retryAfterMs };
  }
  if (status >= 500) return { kind: 'transient' };
  return { kind: 'rejected' };
}
