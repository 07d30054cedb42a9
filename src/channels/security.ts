import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret with the expected one in time that does not depend on where they differ; hashing
 * first makes the lengths equal, so the length is not leaked either.
 */
export function secretsEqual(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || expected.length === 0) return false;
  return timingSafeEqual(hash('sha256', presented, 'buffer'), hash('sha256', expected, 'buffer'));
}

/** The first value of a header, as Node may give a list. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Bot tokens travel inside URL paths (`/bot<TOKEN>/sendMessage`); pino cannot redact inside a string. */
export function withoutToken(text: string, token: string | undefined): string {
  let out = text.replace(/\/bot[^/\s]+\//g, '/bot<token>/');
  if (token) out = out.split(token).join('<token>');
  return out;
}
