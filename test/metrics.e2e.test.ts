import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloBotFake, zaloUpdate } from './fakes/zalo-bot-fake.js';
import { histogramOf, parsePrometheusText, samplesOf, valueOf, type Exposition } from './support/prometheus-text.js';
import { startTestService, type TestService } from './support/service.js';

const BOT_TOKEN = '3141592653:ZaloBotSecretPart';
const WEBHOOK_SECRET = 'webhook-secret-0123456789';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789';
const STATES = ['waiting', 'active', 'delayed', 'failed'];

let fake: ZaloBotFake;
let fakeBase: string;
let service: TestService;
const others: TestService[] = [];

beforeEach(async () => {
  fake = new ZaloBotFake({ token: BOT_TOKEN });
  fakeBase = await fake.start();
  service = await startTestService({ ZALO_BOT_TOKEN: BOT_TOKEN, ZALO_BOT_WEBHOOK_SECRET: WEBHOOK_SECRET, ZALO_BOT_API_BASE: fakeBase, METRICS_TOKEN });
});

afterEach(async () => {
  await Promise.all(others.splice(0).map((other) => other.stop()));
  await service.stop();
  await fake.close();
});

function postUpdate(target: TestService, body: unknown, secret = WEBHOOK_SECRET): Promise<Response> {
  return fetch(`${target.baseUrl}/webhooks/zalo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': secret },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function scrape(target: TestService, headers: Record<string, string> = { authorization: `Bearer ${METRICS_TOKEN}` }): Promise<Exposition> {
  const answer = await fetch(`${target.baseUrl}/metrics`, { headers });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await answer.text());
}

async function broadcast(id: string, chatId: string): Promise<string | undefined> {
  await service.channels.outbox.send({ id, platform: 'zalo', chatId, chatKind: 'group', lane: 'broadcast', message: { kind: 'text', text: 'Bản tin phòng chống ma túy' } });
  await expect.poll(async () => (await service.channels.outbox.deliveries.get(id))?.status, { timeout: 10_000 }).toMatch(/^(sent|failed)$/);
  return (await service.channels.outbox.deliveries.get(id))?.status;
}

const webhook = (outcome: string) => ({ platform: 'zalo', outcome });
const sends = (exposition: Exposition, result: string) => valueOf(exposition, 'loaphuong_sends_total', { platform: 'zalo', result });
const processed = (exposition: Exposition, queue: string, outcome: string) => valueOf(exposition, 'loaphuong_queue_jobs_processed_total', { queue, outcome });

describe('GET /metrics', () => {
  it('counts webhook requests, sends, rate-limit waits, job outcomes and queue depths', async () => {
    expect((await postUpdate(service, zaloUpdate({ chatId: 'u-1', text: '/trogiup' }))).status).toBe(200);
    expect((await postUpdate(service, zaloUpdate({ chatId: 'u-1', text: 'x' }), 'wrong-secret-value-0000')).status).toBe(401);
    expect((await postUpdate(service, '{"event_name":')).status).toBe(400);
    await expect.poll(() => fake.sent.filter((s) => s.chatId === 'u-1').length, { timeout: 8_000 }).toBe(1);
    expect(await broadcast('bc-plain', 'grp-1')).toBe('sent');
    fake.failNext(1, { kind: 'rate-limit', retryAfterSeconds: 1 });
    expect(await broadcast('bc-limited', 'grp-2')).toBe('sent');
    fake.failNext(1, { kind: 'not-in-group' });
    expect(await broadcast('bc-removed', 'grp-3')).toBe('failed');
    fake.failNext(1, { kind: 'server-error' });
    expect(await broadcast('bc-retried', 'grp-4')).toBe('sent');

    // A delivery record is final a moment before its worker reports the job finished.
    const finished = async () => {
      const m = await scrape(service);
      return [processed(m, 'inbound', 'completed'), processed(m, 'outbound-zalo', 'completed'), processed(m, 'outbound-zalo', 'failed')];
    };
    // The rate-limited job went back to the queue without failing; the one that met a server error failed once, then
    // completed; the one whose group removed the bot failed for good.
    await expect.poll(finished, { timeout: 5_000 }).toEqual([1, 4, 1]);
    const metrics = await scrape(service);

    expect(metrics.types.get('loaphuong_webhook_request_duration_seconds')).toBe('histogram');
    const accepted = histogramOf(metrics, 'loaphuong_webhook_request_duration_seconds', webhook('accepted'));
    expect(accepted.count).toBe(1);
    expect(accepted.sum).toBeGreaterThan(0);
    expect(accepted.buckets.at(-1)).toEqual({ le: Infinity, count: 1 });
    // Cumulative buckets: counts never fall as the bound grows.
    for (let i = 1; i < accepted.buckets.length; i++) {
      expect(accepted.buckets[i]!.le).toBeGreaterThan(accepted.buckets[i - 1]!.le);
      expect(accepted.buckets[i]!.count).toBeGreaterThanOrEqual(accepted.buckets[i - 1]!.count);
    }
    expect(histogramOf(metrics, 'loaphuong_webhook_request_duration_seconds', webhook('unauthorized')).count).toBe(1);
    expect(histogramOf(metrics, 'loaphuong_webhook_request_duration_seconds', webhook('malformed')).count).toBe(1);
    expect(samplesOf(metrics, 'loaphuong_webhook_request_duration_seconds_count', webhook('duplicate'))).toEqual([]);

    expect(metrics.types.get('loaphuong_sends_total')).toBe('counter');
    expect(sends(metrics, 'delivered')).toBe(4);
    expect(sends(metrics, 'rate_limited')).toBe(1);
    expect(sends(metrics, 'permanent_failure')).toBe(1);
    expect(sends(metrics, 'transient')).toBe(1);
    expect(sends(metrics, 'rejected')).toBe(0);

    const platformWaits = histogramOf(metrics, 'loaphuong_rate_limit_wait_seconds', { platform: 'zalo', source: 'platform' });
    expect(platformWaits).toMatchObject({ count: 1, sum: 1 });
    expect(platformWaits.buckets.find((b) => b.le === 0.5)?.count).toBe(0);
    expect(platformWaits.buckets.find((b) => b.le === 1)?.count).toBe(1);
    expect(histogramOf(metrics, 'loaphuong_rate_limit_wait_seconds', { platform: 'zalo', source: 'chat' }).count).toBe(0);

    expect(processed(metrics, 'outbound-zalo', 'retried')).toBe(1);

    expect(metrics.types.get('loaphuong_queue_jobs')).toBe('gauge');
    const depths = samplesOf(metrics, 'loaphuong_queue_jobs');
    const queues = new Set(depths.map((s) => s.labels.queue));
    expect([...queues]).toEqual(expect.arrayContaining(['inbound', 'outbound-zalo']));
    for (const queue of queues) expect(depths.filter((s) => s.labels.queue === queue).map((s) => s.labels.state).sort(), queue).toEqual([...STATES].sort());
    expect(valueOf(metrics, 'loaphuong_queue_jobs', { queue: 'outbound-zalo', state: 'failed' })).toBe(1);
    expect(valueOf(metrics, 'loaphuong_queue_jobs', { queue: 'outbound-zalo', state: 'waiting' })).toBe(0);

    expect(metrics.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(valueOf(metrics, 'nodejs_heap_size_used_bytes', {})).toBeGreaterThan(0);
  });

  it('answers only with the configured token', async () => {
    const missing = await fetch(`${service.baseUrl}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const wrong = await fetch(`${service.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN.slice(1)}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await wrong.text()).not.toContain('loaphuong_');
  });

  it('keeps each service in one process to its own figures, and serves loopback clients when no token is set', async () => {
    const other = await startTestService({ ZALO_BOT_TOKEN: BOT_TOKEN, ZALO_BOT_WEBHOOK_SECRET: WEBHOOK_SECRET, ZALO_BOT_API_BASE: fakeBase });
    others.push(other);
    expect((await postUpdate(service, zaloUpdate({ chatId: 'u-2', text: 'x' }), 'wrong-secret-value-0000')).status).toBe(401);
    for (const text of ['a', 'b']) expect((await postUpdate(other, zaloUpdate({ chatId: 'u-3', text }), 'wrong-secret-value-0000')).status).toBe(401);

    const mine = await scrape(service);
    const theirs = await scrape(other, {});
    expect(histogramOf(mine, 'loaphuong_webhook_request_duration_seconds', webhook('unauthorized')).count).toBe(1);
    expect(histogramOf(theirs, 'loaphuong_webhook_request_duration_seconds', webhook('unauthorized')).count).toBe(2);
    // Both show the process's own figures.
    expect(valueOf(theirs, 'nodejs_heap_size_used_bytes', {})).toBeGreaterThan(0);

    const forwarded = await fetch(`${other.baseUrl}/metrics`, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(forwarded.status).toBe(403);
  });
});
