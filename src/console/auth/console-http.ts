import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { localeSchema, type Locale } from '../../platform/config.js';
import type { Translator } from '../../platform/i18n.js';
import type { ConsolePage } from './login-page.js';

/**
 * No scripts at all, no framing, nothing cached: console pages show tips and accounts, and a shared office PC's
 * cache or another site's frame must not keep or show them.
 */
export const CONSOLE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

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
