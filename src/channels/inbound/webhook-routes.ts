import express, { Router, type Request, type Response } from 'express';
import type { Logger } from '../../platform/logger.js';
import { WebhookPayloadError, type WebhookReceiver } from '../channel.js';
import type { Inbox } from './inbox.js';

/** Platforms send small JSON updates; anything larger is refused before it is parsed. */
export const WEBHOOK_BODY_LIMIT = '256kb';

/**
 * `POST /webhooks/<platform>`: secret or signature first (401, nothing stored), then JSON and schema (400), then the
 * update is durably accepted (200) — or, if Redis cannot take it, 503 so the platform delivers it again.
 */
export function webhookRoutes(receivers: readonly WebhookReceiver[], inbox: Inbox, logger: Logger): Router {
  const router = Router();
  for (const receiver of receivers) {
    const log = logger.child({ platform: receiver.platform });
    router.post(receiver.path, express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req: Request, res: Response) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!receiver.verify(req.headers, raw)) {
        res.status(401).json({ error: { code: 'unauthorized', message: 'Wrong or missing webhook secret.' } });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        res.status(400).json({ error: { code: 'malformed_json', message: 'The body is not valid JSON.' } });
        return;
      }
      let update;
      try {
        update = receiver.parse(body);
      } catch (err) {
        if (!(err instanceof WebhookPayloadError)) throw err;
        res.status(400).json({ error: { code: 'invalid_update', message: err.message } });
        return;
      }
      if (update.kind === 'ignored') {
        res.json({ ok: true, ignored: update.reason });
        return;
      }
      try {
        const result = await inbox.accept(update.message);
        res.json({ ok: true, [result]: true });
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'could not store an update; asking the platform to retry');
        res.status(503).json({ error: { code: 'unavailable', message: 'Temporarily unable to accept updates; retry later.' } });
      }
    });
  }
  return router;
}
