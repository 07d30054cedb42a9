import express, { Router } from 'express';
import type { Locale } from '../config.js';
import type { Translator } from '../i18n.js';
import type { Logger } from '../logger.js';
import { ApiError, apiErrorHandler, requestLocale } from './api-errors.js';
import { authenticate, type Authenticator } from './authenticate.js';

export const API_BASE = '/api/v1';

/** Enough for any broadcast; a bigger body is a mistake or an attack. */
const BODY_LIMIT = '64kb';

export interface ApiParts {
  authenticators: readonly Authenticator[];
  translator: Translator;
  defaultLocale: Locale;
  logger: Logger;
  /** Routers by the path segment they answer under, e.g. `broadcasts` → /api/v1/broadcasts. */
  resources: Record<string, Router>;
}

/**
 * The JSON API: every request proves who is calling before its body is even read, answers are never cached, and
 * every refusal is JSON in the caller's language.
 */
export function apiRouter({ authenticators, translator, defaultLocale, logger, resources }: ApiParts): Router {
  const router = Router();
  router.use(API_BASE, (req, res, next) => {
    res.locals.locale = requestLocale(req, defaultLocale);
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(API_BASE, authenticate(authenticators, logger), express.json({ limit: BODY_LIMIT }));
  for (const [path, resource] of Object.entries(resources)) router.use(`${API_BASE}/${path}`, resource);
  router.use(API_BASE, (_req, _res, next) => next(new ApiError({ status: 404, code: 'not-found', key: 'api:errors.noEndpoint' })));
  router.use(API_BASE, apiErrorHandler(translator, defaultLocale));
  return router;
}
