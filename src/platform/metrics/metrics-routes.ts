import { Router } from 'express';
import type { Locale } from '../config.js';
import { apiErrorHandler } from '../http/api-errors.js';
import type { Translator } from '../i18n.js';
import { metricsAccess } from './metrics-access.js';
import type { ServiceMetrics } from './service-metrics.js';

export interface MetricsRouteParts {
  metrics: ServiceMetrics;
  /** METRICS_TOKEN; when unset only this machine may scrape. */
  token: string | undefined;
  translator: Translator;
  defaultLocale: Locale;
}

/** `GET /metrics` in Prometheus' text format, for whoever `metricsAccess` lets through. */
export function metricsRoutes({ metrics, token, translator, defaultLocale }: MetricsRouteParts): Router {
  const router = Router();
  router.get('/metrics', metricsAccess(token), async (_req, res) => {
    const text = await metrics.exposition();
    res.set({ 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).send(text);
  });
  router.use('/metrics', apiErrorHandler(translator, defaultLocale));
  return router;
}
