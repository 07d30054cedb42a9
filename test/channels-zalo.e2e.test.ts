import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistrationCodes } from '../src/groups/registration-codes.js';
import { queuePrefix } from '../src/platform/redis/queue-options.js';
import { ZaloBotFake, zaloUpdate } from './fakes/zalo-bot-fake.js';
import { startTestService, type TestService } from './support/service.js';

const TOKEN = '3141592653:ZaloBotSecretPart';
const SECRET = 'webhook-secret-0123456789';

let fake: ZaloBotFake;
let service: TestService;

beforeEach(async () => {
  fake = new ZaloBotFake({ token: TOKEN });
  const base = await fake.start();
  service = await startTestService({ DEFAULT_LOCALE: 'en', ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_BASE: base });
});

afterEach(async () => {
  await service.stop();
  await fake.close();
});

function post(body: unknown, headers: Record<string, string> = { 'x-bot-api-secret-token': SECRET }): Promise<Response> {
  return fetch(`${service.baseUrl}/webhooks/zalo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function inboundJobs(): Promise<number> {
  const counts = await service.channels.inbox.queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

const repliesTo = (chatId: string) => fake.sent.filter((s) => s.chatId === chatId).map((s) => s.text);

describe('Zalo Bot Platform through the whole service', () => {
  it('refuses wrong secrets, bad JSON, wrong shapes and oversized bodies before storing anything', async () => {
    const update = zaloUpdate({ chatId: 'u-1', text: '/trogiup' });
    expect((await post(update, { 'x-bot-api-secret-token': 'wrong-secret-value' })).status).toBe(401);
    expect((await post(update, {})).status).toBe(401);
    expect((await post('{"event_name":')).status).toBe(400);
    const wrongShape = await post({ event_name: 'message.text.received', message: { chat: 'nope' } });
    expect(wrongShape.status).toBe(400);
    expect(((await wrongShape.json()) as { error: { code: string } }).error.code).toBe('invalid_update');
    expect((await post(zaloUpdate({ chatId: 'u-1', text: 'x'.repeat(300_000) }))).status).toBe(413);
    expect(await inboundJobs()).toBe(0);
    expect(await service.datastore.redis.keys(`${service.datastore.prefix}:channels:*`)).toEqual([]);

    const unknown = await post({ event_name: 'message.reaction.received', message: {} });
    expect(unknown.status).toBe(200);
    expect(await inboundJobs()).toBe(0);
  });

  it('answers a private message, handling unicode, emoji, long and empty text', async () => {
    expect((await post(zaloUpdate({ chatId: 'u-2', text: '/trogiup' }))).status).toBe(200);
    await expect.poll(() => repliesTo('u-2').length, { timeout: 5_000 }).toBe(1);
    expect(repliesTo('u-2')[0]).toMatch(/^Hello! This is Loa Phường/);

    // Each goes to question answering and gets exactly one answer; an empty message gets a prompt.
    for (const [i, text] of ['Chào cán bộ 🙏🇻🇳 — có ai ở đó không?', 'ừ '.repeat(3000), ''].entries()) {
      expect((await post(zaloUpdate({ chatId: `u-3${i}`, text }))).status).toBe(200);
      await expect.poll(() => repliesTo(`u-3${i}`).length, { timeout: 5_000 }).toBe(1);
      expect(repliesTo(`u-3${i}`)[0]!.length).toBeGreaterThan(20);
    }
    expect(repliesTo('u-32')).toEqual(['What would you like to ask? Just type your question, for example: "Where do I report drug dealing?"']);
  });

  it('processes an update delivered three times at once only once', async () => {
    const update = zaloUpdate({ chatId: 'u-4', text: '/trogiup' });
    const answers = await Promise.all([post(update), post(update), post(update)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as Array<Record<string, boolean>>;
    expect(bodies.filter((b) => b.accepted)).toHaveLength(1);
    expect(bodies.filter((b) => b.duplicate)).toHaveLength(2);
    await expect.poll(() => repliesTo('u-4').length, { timeout: 5_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo('u-4')).toHaveLength(1);
  });

  it('registers a group with /dangky and marks it when the bot is removed', async () => {
    const { code } = await new RegistrationCodes(service.datastore.redis, service.datastore.prefix).issue({ name: 'Tổ dân phố 7', tags: ['tdp-7'] });
    await post(zaloUpdate({ chatId: 'grp-7', chatType: 'GROUP', fromId: 'admin-1', text: `/dangky ${code}` }));
    await expect.poll(() => repliesTo('grp-7').length, { timeout: 5_000 }).toBe(1);
    expect(repliesTo('grp-7')[0]).toBe('Group "Tổ dân phố 7" is registered. It will receive the ward\'s messages once ward staff approve it.');
    const [group] = await service.groups.list({ platform: 'zalo' });
    expect(group).toMatchObject({ chatId: 'grp-7', status: 'pending', tags: ['tdp-7'] });

    fake.failNext(1, { kind: 'not-in-group' });
    await service.channels.outbox.send({ id: 'bc-1', platform: 'zalo', chatId: 'grp-7', chatKind: 'group', lane: 'broadcast', message: { kind: 'text', text: 'Bản tin' } });
    await expect.poll(async () => (await service.channels.outbox.deliveries.get('bc-1'))?.status, { timeout: 5_000 }).toBe('failed');
    await expect.poll(async () => (await service.groups.get(group!.id))?.unreachable, { timeout: 5_000 }).toBe('removed-from-group');

    // From now on sends to that group are skipped, not attempted.
    await service.channels.outbox.send({ id: 'bc-2', platform: 'zalo', chatId: 'grp-7', chatKind: 'group', lane: 'broadcast', message: { kind: 'text', text: 'Bản tin 2' } });
    await expect.poll(async () => (await service.channels.outbox.deliveries.get('bc-2'))?.status, { timeout: 5_000 }).toBe('skipped');
    expect(repliesTo('grp-7')).toHaveLength(1);
  });

  it('waits exactly as long as a 429 asks, then delivers once', async () => {
    fake.failNext(1, { kind: 'rate-limit', retryAfterSeconds: 1 });
    const started = Date.now();
    await post(zaloUpdate({ chatId: 'u-5', text: '/trogiup' }));
    await expect.poll(() => repliesTo('u-5').length, { timeout: 8_000 }).toBe(1);
    const delivered = fake.sent.find((s) => s.chatId === 'u-5')!;
    expect(delivered.at - started).toBeGreaterThanOrEqual(1_000);
    const failedAttempt = fake.requests.find((r) => r.method === 'sendMessage')!;
    expect(delivered.at - failedAttempt.at).toBeGreaterThanOrEqual(950);
    expect(delivered.at - failedAttempt.at).toBeLessThan(3_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(repliesTo('u-5')).toHaveLength(1);
  });

  it('keeps job data free of chat ids and text', async () => {
    await post(zaloUpdate({ chatId: 'u-secret-0987', text: 'tin riêng tư' }));
    await expect.poll(() => repliesTo('u-secret-0987').length, { timeout: 5_000 }).toBe(1);
    const keys = await service.datastore.redis.keys(`${queuePrefix(service.datastore.prefix)}:*`);
    for (const key of keys) {
      const type = await service.datastore.redis.type(key);
      const dump = type === 'hash' ? JSON.stringify(await service.datastore.redis.hgetall(key)) : type === 'string' ? await service.datastore.redis.get(key) : '';
      expect(dump ?? '').not.toContain('u-secret-0987');
      expect(dump ?? '').not.toContain('riêng tư');
    }
  });
});
