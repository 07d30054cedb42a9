import type { Response } from 'express';
import { z } from 'zod';
import type { Locale } from '../config.js';
import { ApiError } from './api-errors.js';

/** zod's own wording in each supported language, for problems with the shape of a request. */
const ZOD_WORDING: Record<Locale, z.core.$ZodErrorMap> = { vi: z.locales.vi().localeError, en: z.locales.en().localeError };

/**
 * The request's params, query or body as the schema reads them, or a 400 naming each wrong field in the caller's
 * language (`res.locals.locale`, set by the API router).
 */
export function validInput<S extends z.ZodType>(schema: S, value: unknown, res: Response, where: 'params' | 'query' | 'body'): z.output<S> {
  const parsed = schema.safeParse(value, { error: ZOD_WORDING[res.locals.locale as Locale] });
  if (parsed.success) return parsed.data;
  throw new ApiError({
    status: 400,
    code: 'bad-request',
    key: 'api:errors.badRequest',
    problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || where, key: 'api:problems.schema', params: { problem: issue.message } })),
  });
}
