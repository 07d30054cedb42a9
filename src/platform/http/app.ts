import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from '../logger.js';
import type { Readiness } from '../readiness.js';
import { securityHeaders } from './security-headers.js';

export interface AppParts {
  readiness: Readiness;
  logger: Logger;
  /** Domain routers, mounted in order after the health endpoints. */
  routers?: Router[];
  /** How many reverse proxies in front may be believed about the client's address (X-Forwarded-For). */
  trustedProxies?: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** How a failed request is answered: its status, and a code and message that never show a server error's details. */
export function errorAnswer(err: unknown): { status: number; body: { error: { code: string; message: string } } } {
  // body-parser marks its own errors (too large, malformed JSON) with a status and an expose flag.
  const fields = (typeof err === 'object' && err !== null ? err : {}) as { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  const given = fields.status ?? fields.statusCode;
  const status = err instanceof HttpError ? err.status : typeof given === 'number' && Number.isInteger(given) ? given : 500;
  const exposed = err instanceof HttpError || (status < 500 && fields.expose === true);
  return {
    status,
    body: {
      error: {
        code: err instanceof HttpError ? err.code : exposed ? String(fields.type ?? 'bad_request') : 'internal',
        message: exposed ? String(fields.message) : 'Internal error; the request was not processed.',
      },
    },
  };
}

export function createApp({ readiness, logger, routers = [], trustedProxies = 0 }: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  // Per-address limits (the tip form's) need the real client address, which only a known proxy may tell.
  app.set('trust proxy', trustedProxies === 0 ? false : trustedProxies);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });

  app.get('/readyz', async (_req, res) => {
    const { ready, checks } = await readiness.check();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  for (const router of routers) app.use(router);

  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'No such page or endpoint.')));

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const { status, body } = errorAnswer(err);
    if (status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json(body);
  };
  app.use(onError);
  return app;
}
