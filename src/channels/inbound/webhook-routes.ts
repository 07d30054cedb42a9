import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../platform/logger.js';
import type { WebhookMetrics, WebhookOutcome } from '../../platform/metrics/webhook-metrics.js';
import { WebhookPayloadError, type WebhookReceiver } from '../channel.js';
import type { Inbox } from './inbox.js';

/** Platforms send small JSON updates; anything larger is refused before it is parsed. */
export const WEBHOOK_BODY_LIMIT = '256kb';

/** The two answers nearly every update gets, serialised once. */
const ACCEPTED = { accepted: JSON.stringify({ ok: true, accepted: true }), duplicate: JSON.stringify({ ok: true, duplicate: true }) };

/**
 * Writes a JSON answer straight to the socket: a platform posts and reads the status, so express's ETag, freshness
 * check and charset parsing would be work for nobody. Headers and body leave in one write.
 */
function answer(res: Response, status: number, json: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'x-content-type-options': 'nosniff' }).end(json);
}

const errorAnswer = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

/** What body-parser refused before the handler ran, or a handler error. */
function failureOutcome(err: { status?: unknown; statusCode?: unknown }): WebhookOutcome {
  const status = Number(err.status ?? err.statusCode ?? 500);
  return status === 413 ? 'too_large' : status < 500 ? 'unreadable' : 'error';
}

/** One platform's endpoint: what it does with a body that was read, and how it records the outcome. */
interface Endpoint {
  handle(req: Request, res: Response, startedAt: number): Promise<void>;
  record(outcome: WebhookOutcome, startedAt: number): void;
}

function endpoint(receiver: WebhookReceiver, inbox: Inbox, logger: Logger, metrics?: WebhookMetrics): Endpoint {
  const log = logger.child({ platform: receiver.platform });
  const recorder = metrics?.forPlatform(receiver.platform);
  const record = (outcome: WebhookOutcome, startedAt: number) => recorder?.(outcome, (performance.now() - startedAt) / 1000);
  const handle = async (req: Request, res: Response, startedAt: number) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!receiver.verify(req.headers, raw)) {
      answer(res, 401, errorAnswer('unauthorized', 'Wrong or missing webhook secret.'));
      record('unauthorized', startedAt);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      answer(res, 400, errorAnswer('malformed_json', 'The body is not valid JSON.'));
      record('malformed', startedAt);
      return;
    }
    let update;
    try {
      update = receiver.parse(body);
    } catch (err) {
      if (!(err instanceof WebhookPayloadError)) throw err;
      answer(res, 400, errorAnswer('invalid_update', err.message));
      record('invalid', startedAt);
      return;
    }
    if (update.kind === 'ignored') {
      answer(res, 200, JSON.stringify({ ok: true, ignored: update.reason }));
      record('ignored', startedAt);
      return;
    }
    try {
      const result = await inbox.acceptChecked(update.message);
      answer(res, 200, ACCEPTED[result]);
      record(result, startedAt);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'could not store an update; asking the platform to retry');
      answer(res, 503, errorAnswer('unavailable', 'Temporarily unable to accept updates; retry later.'));
      record('unavailable', startedAt);
    }
  };
  return { handle, record };
}

/**
 * `POST /webhooks/<platform>`: secret or signature first (401, nothing stored), then JSON and schema (400), then the
 * update is durably accepted (200) — or, if Redis cannot take it, 503 so the platform delivers it again.
 *
 * One handler looks the path up for every platform, instead of an express Router with a route and two middlewares
 * per platform: the platforms post many small updates, and each hop through a router's layers costs more than the
 * lookup. Anything else (another method, another path) goes on to the rest of the app.
 */
export function webhookRoutes(receivers: readonly WebhookReceiver[], inbox: Inbox, logger: Logger, metrics?: WebhookMetrics): RequestHandler {
  const endpoints = new Map(receivers.map((receiver) => [receiver.path, endpoint(receiver, inbox, logger, metrics)]));
  const readBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  return (req, res, next) => {
    const target = req.method === 'POST' ? endpoints.get(req.path) : undefined;
    if (!target) {
      next();
      return;
    }
    // Timed from before the body is read, so a slow upload shows in the latency the platform sees.
    const startedAt = performance.now();
    // What body-parser refuses (too large, unreadable) and what the handler throws go on to the app's error answer.
    const fail = (err: { status?: unknown; statusCode?: unknown }) => {
      target.record(failureOutcome(err), startedAt);
      next(err);
    };
    readBody(req, res, (err?: unknown) => {
      if (err) fail(err);
      else target.handle(req, res, startedAt).catch(fail);
    });
  };
}
