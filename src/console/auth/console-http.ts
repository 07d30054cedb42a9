import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { localeSchema, type Locale } from '../../platform/config.js';
import type { Translator } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { messagePage, type ConsolePage } from './login-page.js';

/**
 * Console pages show tips and accounts: a shared office PC's cache must not keep them. The rest (no scripts, no
 * framing, no referrer) comes from the app-wide security headers.
 */
export const CONSOLE_HEADERS = { 'Cache-Control': 'no-store' };

export const consoleHeaders: RequestHandler = (_req, res, next) => {
  res.set(CONSOLE_HEADERS);
  next();
};

const langQuerySchema = z.object({ lang: localeSchema.optional().catch(undefined) });

/** The page's language: `?lang=` when it names a supported one, else the ward's. */
export function consolePage(req: Request, translator: Translator, defaultLocale: Locale): ConsolePage {
  const locale = langQuerySchema.safeParse(req.query).data?.lang ?? defaultLocale;
  return { t: translator.t(locale), locale };
}

export function sendPage(res: Response, status: number, page: string): void {
  res.status(status).type('html').send(page);
}

/**
 * The last word on a console request that failed: a page in the user's language, a 4xx kept as it is and anything
 * else as 503, and a log line that names the failure and the path but never the body (a password, a code, a tip).
 */
export function consoleErrorHandler(logger: Logger, page: (req: Request) => ConsolePage): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    logger.error({ error: err instanceof Error ? err.name : typeof err, reason: err instanceof Error ? err.message : undefined, path: req.path }, 'console request failed');
    const p = page(req);
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 503;
    sendPage(res, status, messagePage(p, p.t('console:errors.unavailable')));
  };
}
