import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { html, type SafeHtml } from '../../platform/http/html.js';

/** The name of the hidden field every console form carries. */
export const CSRF_FIELD = 'csrf';

export function newCsrfSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether a submitted token is the expected one. Both sides are hashed first so the comparison takes the same time
 * whatever was sent, including its length.
 */
export function sameToken(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted === '' || expected === '') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(submitted));
}

/**
 * The login form's token, before there is a session: a keyed hash of the login cookie's random id, so only a page
 * this service served to that browser can post the form.
 */
export function loginCsrfToken(box: Pick<SealedBox, 'hash'>, loginId: string): string {
  return box.hash('console-login-csrf', loginId);
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}
