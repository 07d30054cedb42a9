import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { errorAnswer } from '../../platform/http/app.js';
import type { PlatformRoute } from '../../platform/http/platform-routes.js';
import type { Logger } from '../../platform/logger.js';
import type { WebhookMetrics, WebhookOutcome } from '../../platform/metrics/webhook-metrics.js';
import { WebhookPayloadError, type WebhookReceiver } from '../channel.js';
import type { Inbox } from './inbox.js';

/** Platforms send small JSON updates; anything larger is refused before it is parsed. */
export const WEBHOOK_BODY_LIMIT = '256kb';

/** The two answers nearly every update gets, serialised once. */
const ACCEPTED = { accepted: JSON.stringify({ ok: true, accepted: true }), duplicate: JSON.stringify({ ok: true, duplicate: true }) };

/** A JSON answer, headers and body in one write; `nosniff` keeps a browser made to post here from reading it as a page. */
function answer(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), 'x-content-type-options': 'nosniff' }).end(json);
}

const errorJson = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

/** What body-parser refused before the handler ran (by its status), or a handler error. */
const failureOutcome = (status: number): WebhookOutcome => (status === 413 ? 'too_large' : status < 500 ? 'unreadable' : 'error');

/** One platform's endpoint: what it does with a body that was read, and how it records the outcome. */
interface Endpoint {
  handle(req: IncomingMessage, raw: Buffer, res: ServerResponse, startedAt: number): Promise<void>;
  record(outcome: WebhookOutcome, startedAt: number): void;
  log: Logger;
}

function endpoint(receiver: WebhookReceiver, inbox: Inbox, logger: Logger, metrics?: WebhookMetrics): Endpoint {
  const log = logger.child({ platform: receiver.platform });
  const recorder = metrics?.forPlatform(receiver.platform);
  const record = (outcome: WebhookOutcome, startedAt: number) => recorder?.(outcome, (performance.now() - startedAt) / 1000);
  const handle = async (req: IncomingMessage, raw: Buffer, res: ServerResponse, startedAt: number) => {
    if (!receiver.verify(req.headers, raw)) {
      answer(res, 401, errorJson('unauthorized', 'Wrong or missing webhook secret.'));
      record('unauthorized', startedAt);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      answer(res, 400, errorJson('malformed_json', 'The body is not valid JSON.'));
      record('malformed', startedAt);
      return;
    }
    let update;
    try {
      update = receiver.parse(body);
    } catch (err) {
      if (!(err instanceof WebhookPayloadError)) throw err;
      answer(res, 400, errorJson('invalid_update', err.message));
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
      answer(res, 503, errorJson('unavailable', 'Temporarily unable to accept updates; retry later.'));
      record('unavailable', startedAt);
    }
  };
  return { handle, record, log };
}

/**
 * `POST /webhooks/<platform>`: secret or signature first (401, nothing stored), then JSON and schema (400), then the
 * update is durably accepted (200) — or, if Redis cannot take it, 503 so the platform delivers it again.
 *
 * A platform route (see platform-routes.ts): it runs on Node's own request and response, ahead of express, and looks
 * the path up for every platform at once. Anything else (another method, another path) goes on to the app.
 */
export function webhookRoutes(receivers: readonly WebhookReceiver[], inbox: Inbox, logger: Logger, metrics?: WebhookMetrics): PlatformRoute {
  const endpoints = new Map(receivers.map((receiver) => [receiver.path, endpoint(receiver, inbox, logger, metrics)]));
  const readBody = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  return (req, res, next) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const target = req.method === 'POST' ? endpoints.get(query === -1 ? url : url.slice(0, query)) : undefined;
    if (!target) {
      next();
      return;
    }
    // Timed from before the body is read, so a slow upload shows in the latency the platform sees.
    const startedAt = performance.now();
    // What body-parser refuses (too large, unreadable) and what the handler throws, answered as the app answers errors.
    const fail = (err: unknown) => {
      const { status, body } = errorAnswer(err);
      if (status >= 500) target.log.error({ err, method: req.method, path: req.url }, 'request failed');
      if (!res.headersSent) answer(res, status, JSON.stringify(body));
      target.record(failureOutcome(status), startedAt);
    };
    readBody(req, res, (err?: unknown) => {
      if (err) fail(err);
      else {
        const { body } = req as IncomingMessage & { body?: unknown };
        target.handle(req, Buffer.isBuffer(body) ? body : Buffer.alloc(0), res, startedAt).catch(fail);
      }
    });
  };
}
