import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../platform/logger.js';
import type { WebhookMetrics, WebhookOutcome } from '../../platform/metrics/webhook-metrics.js';
import { WebhookPayloadError, type WebhookReceiver } from '../channel.js';
import type { Inbox } from './inbox.js';

/** Platforms send small JSON updates; anything larger is refused before it is parsed. */
export const WEBHOOK_BODY_LIMIT = '256kb';

const STARTED_AT = 'webhookStartedAt';

/** Timed from before the body is read, so a slow upload shows in the latency the platform sees. */
const startClock: RequestHandler = (_req, res, next) => {
  res.locals[STARTED_AT] = performance.now();
  next();
};

/** What body-parser refused before the handler ran, or a handler error. */
function failureOutcome(err: { status?: unknown; statusCode?: unknown }): WebhookOutcome {
  const status = Number(err.status ?? err.statusCode ?? 500);
  return status === 413 ? 'too_large' : status < 500 ? 'unreadable' : 'error';
}

/**
 * `POST /webhooks/<platform>`: secret or signature first (401, nothing stored), then JSON and schema (400), then the
 * update is durably accepted (200) — or, if Redis cannot take it, 503 so the platform delivers it again.
 */
export function webhookRoutes(receivers: readonly WebhookReceiver[], inbox: Inbox, logger: Logger, metrics?: WebhookMetrics): Router {
  const router = Router();
  for (const receiver of receivers) {
    const log = logger.child({ platform: receiver.platform });
    const recorder = metrics?.forPlatform(receiver.platform);
    const record = (res: Response, outcome: WebhookOutcome) => recorder?.(outcome, (performance.now() - (res.locals[STARTED_AT] as number)) / 1000);
    const recordFailure: ErrorRequestHandler = (err, _req, res, next) => {
      record(res, failureOutcome(err ?? {}));
      next(err);
    };
    router.post(receiver.path, startClock, express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req: Request, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!receiver.verify(req.headers, raw)) {
        res.status(401).json({ error: { code: 'unauthorized', message: 'Wrong or missing webhook secret.' } });
        record(res, 'unauthorized');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        res.status(400).json({ error: { code: 'malformed_json', message: 'The body is not valid JSON.' } });
        record(res, 'malformed');
        return;
      }
      let update;
      try {
        update = receiver.parse(body);
      } catch (err) {
        if (!(err instanceof WebhookPayloadError)) throw err;
        res.status(400).json({ error: { code: 'invalid_update', message: err.message } });
        record(res, 'invalid');
        return;
      }
      if (update.kind === 'ignored') {
        res.json({ ok: true, ignored: update.reason });
        record(res, 'ignored');
        return;
      }
      try {
        const result = await inbox.accept(update.message);
        res.json({ ok: true, [result]: true });
        record(res, result);
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'could not store an update; asking the platform to retry');
        res.status(503).json({ error: { code: 'unavailable', message: 'Temporarily unable to accept updates; retry later.' } });
        record(res, 'unavailable');
      }
    }, recordFailure);
  }
  return router;
}
