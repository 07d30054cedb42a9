/** What went wrong, in terms every edge maps to its own answer (an HTTP status, a CLI exit, a chat reply). */
export type DomainErrorKind = 'invalid' | 'not-found' | 'conflict' | 'forbidden' | 'rate-limited';

/** One precise complaint about a field of the input, worded by a translation key. */
export interface Problem {
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

/**
 * An error a person caused and can fix, worded by translation keys rather than English text, so the CLI, the API
 * and the chat each say it in their user's language.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly key: string,
    readonly params: Record<string, string | number> = {},
    readonly problems: readonly Problem[] = [],
  ) {
    super(`${kind}: ${key}${problems.length ? ` (${problems.map((p) => `${p.field}: ${p.key}`).join('; ')})` : ''}`);
    this.name = 'DomainError';
  }
}

export const HTTP_STATUS: Record<DomainErrorKind, number> = { invalid: 422, 'not-found': 404, conflict: 409, forbidden: 403, 'rate-limited': 429 };
