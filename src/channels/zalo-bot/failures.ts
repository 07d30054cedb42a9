import type { ChannelFailure, PermanentReason } from '../channel.js';

/** The platform documents no rate limit and no retry hint; without a hint this is how long a sender waits. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** What the API answered when it did not do what was asked. */
export interface ApiRefusal {
  httpStatus: number;
  errorCode?: number;
  description?: string;
  /** The `Retry-After` header, if any. */
  retryAfter?: string | null;
}

/**
 * The platform's error table has no code of its own for "bot not in the group", "blocked" or "no such chat", so
 * those are recognised by their wording, and only on the client-error codes that can carry them. Anything not
 * recognised stays `rejected`: a chat is only given up on when the platform says so plainly.
 */
const PERMANENT_WORDING: readonly [RegExp, PermanentReason][] = [
  [/\bblocked\b/i, 'blocked'],
  [/not (?:a )?member|not in (?:the |this )?group|removed from|kicked|left the group/i, 'removed-from-group'],
  [/\b(?:chat|user|recipient|conversation)\b.*\bnot (?:found|exist)/i, 'chat-not-found'],
];
const CODES_WITH_CHAT_REASONS = new Set([400, 403, 404]);

/** Seconds or an HTTP date, as RFC 9110 allows; anything else falls back to the default. */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number {
  const value = header?.trim();
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now);
}

export function classifyRefusal(refusal: ApiRefusal): ChannelFailure {
  const code = refusal.errorCode ?? refusal.httpStatus;
  if (code === 429 || refusal.httpStatus === 429) {
    return { kind: 'rate-limited', retryAfterMs: retryAfterMs(refusal.retryAfter) };
  }
  // 408 is the platform's "took too long"; codes outside 4xx (5xx, or anything unexpected) may well succeed later.
  if (code < 400 || code > 499 || code === 408 || refusal.httpStatus >= 500) return { kind: 'transient' };
  if (CODES_WITH_CHAT_REASONS.has(code) && refusal.description) {
    const match = PERMANENT_WORDING.find(([wording]) => wording.test(refusal.description ?? ''));
    if (match) return { kind: 'permanent', reason: match[1] };
  }
  return { kind: 'rejected' };
}
