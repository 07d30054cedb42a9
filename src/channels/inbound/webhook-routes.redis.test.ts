import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zaloUpdate } from '../../../test/fakes/zalo-bot-fake.js';
import { histogramOf, parsePrometheusText } from '../../../test/support/prometheus-text.js';
import { deleteKeys, silentLogger, testPrefix, testRedis } from '../../../test/support/redis.js';
import { SealedBox } from '../../platform/crypto/sealed-box.js';
import { withPlatformRoutes } from '../../platform/http/platform-routes.js';
import { listen, type Listening } from '../../platform/http/server.js';
import { WebhookMetrics } from '../../platform/metrics/webhook-metrics.js';
import { ZaloBotWebhook } from '../zalo-bot/webhook.js';
import { Inbox } from './inbox.js';
import { webhookRoutes } from './webhook-routes.js';

const SECRET = 'webhook-secret-0123456789';

let prefix: string;
let redis: Redis;
let queueConnection: Redis;
let http: Listening | undefined;
const inboxes: Inbox[] = [];

beforeEach(() => {
  prefix = testPrefix();
  redis = testRedis();
  queueConnection = testRedis();
});

afterEach(async () => {
  await http?.close();
  http = undefined;
  await Promise.all(inboxes.splice(0).map((inbox) => inbox.close()));
  await deleteKeys(redis, prefix);
  await Promise.all([redis.quit(), queueConnection.quit()]);
});

/** The webhook route in front of a stand-in for the app, which answers 418 to whatever is passed on to it. */
async function serve(commands: Redis): Promise<{ base: string; registry: Registry; inbox: Inbox }> {
  const key = randomBytes(32);
  const inbox = new Inbox(commands, prefix, new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey: randomBytes(32) }), queueConnection);
  inboxes.push(inbox);
  const registry = new Registry();
  const route = webhookRoutes([new ZaloBotWebhook({ secret: SECRET })], inbox, silentLogger(), new WebhookMetrics(registry));
  http = await listen(
    withPlatformRoutes((_req, res) => void res.writeHead(418).end(), [route]),
    '127.0.0.1',
    0,
  );
  return { base: `http://127.0.0.1:${http.port}`, registry, inbox };
}

const post = (base: string, body: string, path = '/webhooks/zalo') =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': SECRET }, body });

const outcomes = async (registry: Registry, outcome: string) =>
  histogramOf(parsePrometheusText(await registry.metrics()), 'loaphuong_webhook_request_duration_seconds', { platform: 'zalo', outcome }).count;

describe('the webhook route', () => {
  it('accepts an update, answers its copy as a duplicate, and passes other methods and paths on to the app', async () => {
    const { base, registry } = await serve(redis);
    const update = JSON.stringify(zaloUpdate({ chatId: 'resident-1', text: 'Xin chào' }));

    const first = await post(base, update);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await first.json()).toEqual({ ok: true, accepted: true });
    expect(await (await post(base, update)).json()).toEqual({ ok: true, duplicate: true });
    // A query string does not change the route.
    expect((await post(base, JSON.stringify(zaloUpdate({ chatId: 'resident-2', text: 'Chào' })), '/webhooks/zalo?from=zalo')).status).toBe(200);

    expect((await fetch(`${base}/webhooks/zalo`)).status).toBe(418);
    expect((await post(base, update, '/webhooks/zalo/other')).status).toBe(418);
    expect(await outcomes(registry, 'accepted')).toBe(2);
    expect(await outcomes(registry, 'duplicate')).toBe(1);
  });

  it('refuses a body over the limit with 413 before reading it, as the app answers errors', async () => {
    const { base, registry } = await serve(redis);

    const answer = await post(base, JSON.stringify(zaloUpdate({ chatId: 'resident-1', text: 'x'.repeat(300_000) })));

    expect(answer.status).toBe(413);
    expect(await answer.json()).toEqual({ error: { code: 'entity.too.large', message: 'request entity too large' } });
    expect(await outcomes(registry, 'too_large')).toBe(1);
  });

  it('answers 503 and stores nothing when Redis cannot take the update, so the platform delivers it again', async () => {
    const offline = testRedis();
    await offline.quit();
    const { base, registry, inbox } = await serve(offline);
    // The queue writes its own metadata once, in the background, when it is created; let that settle first, so that
    // what follows shows only what the update left.
    await expect.poll(() => redis.exists(inbox.queue.keys.meta!)).toBe(1);
    expect(await redis.keys(`${prefix}:*`)).toEqual([inbox.queue.keys.meta]);

    const answer = await post(base, JSON.stringify(zaloUpdate({ chatId: 'resident-1', text: 'Xin chào' })));

    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({ error: { code: 'unavailable', message: 'Temporarily unable to accept updates; retry later.' } });
    expect(await outcomes(registry, 'unavailable')).toBe(1);
    expect(await redis.keys(`${prefix}:*`)).toEqual([inbox.queue.keys.meta]);
    expect((await inbox.queue.getJobCounts('waiting')).waiting).toBe(0);
  });
});
