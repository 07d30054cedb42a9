import type { ErrorRequestHandler, Request } from 'express';
import { SUPPORTED_LOCALES, type Locale } from '../config.js';
import { DomainError, HTTP_STATUS, type Problem } from '../domain-error.js';
import type { Translator } from '../i18n.js';

/** A failure of the API edge itself (no token, unreadable request), worded by a translation key like domain errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly key: string;
  readonly params: Record<string, string | number>;
  readonly problems: readonly Problem[];

  constructor(init: { status: number; code: string; key: string; params?: Record<string, string | number>; problems?: readonly Problem[] }) {
    super(`${init.status} ${init.code}: ${init.key}`);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.key = init.key;
    this.params = init.params ?? {};
    this.problems = init.problems ?? [];
  }
}

/** English for callers that ask for it, otherwise the ward's own language. */
export function requestLocale(req: Request, defaultLocale: Locale): Locale {
  if (!req.get('accept-language')) return defaultLocale;
  const best = req.acceptsLanguages([...SUPPORTED_LOCALES]);
  return best === false ? defaultLocale : (best as Locale);
}

/** body-parser marks what it refuses with a `type`; these are the caller's fault and safe to explain. */
function bodyParserError(err: unknown): ApiError | undefined {
  const { type, status, expose, limit } = (err ?? {}) as { type?: unknown; status?: unknown; expose?: unknown; limit?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || status >= 500 || expose !== true) return undefined;
  if (type === 'entity.parse.failed') return new ApiError({ status, code: 'malformed-json', key: 'api:errors.malformedJson' });
  if (type === 'entity.too.large') return new ApiError({ status, code: 'too-large', key: 'api:errors.tooLarge', params: { limit: Number(limit) } });
  return new ApiError({ status, code: 'unreadable-body', key: 'api:errors.unreadableBody' });
}

/**
 * Answers domain and API errors as `{ error: { code, message, problems? } }` in the caller's language; anything
 * else goes on to the app's handler, which logs it and answers 500 without details.
 */
export function apiErrorHandler(translator: Translator, defaultLocale: Locale): ErrorRequestHandler {
  return (err, req, res, next) => {
    const failure =
      err instanceof DomainError
        ? { status: HTTP_STATUS[err.kind], code: err.kind, key: err.key, params: err.params, problems: err.problems }
        : err instanceof ApiError
          ? err
          : bodyParserError(err);
    if (!failure || res.headersSent) return next(err);
    const t = translator.t(requestLocale(req, defaultLocale));
    const problems = failure.problems.map((p) => ({ field: p.field, message: t(p.key, p.params ?? {}) }));
    res.status(failure.status).json({
      error: { code: failure.code, message: t(failure.key, failure.params), ...(problems.length > 0 ? { problems } : {}) },
    });
  };
}
