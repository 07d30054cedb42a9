import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, silentLogger, testPrefix, testRedis } from '../../../test/support/redis.js';
import { everythingStored } from '../../../test/support/stored.js';
import { SealedBox } from '../../platform/crypto/sealed-box.js';
import { Datastore } from '../../platform/redis/datastore.js';
import { loadConfig } from '../../platform/config.js';
import type { ChannelLimits } from '../channel.js';
import { SandboxChannel } from '../sandbox/sandbox-channel.js';
import { SandboxStore } from '../sandbox/sandbox-store.js';
import { testRedisUrl } from '../../../test/support/redis.js';
import { ChatStatusStore } from './chat-status.js';
import { startOutboundWorker } from './outbound-worker.js';
import { Outbox } from './outbox.js';

let store: Datastore;
let box: SealedBox;
let outbox: Outbox;
let sandbox: SandboxStore;
let chatStatus: ChatStatusStore;
const workers: Worker[] = [];

beforeEach(async () => {
  store = await Datastore.open(loadConfig({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: testPrefix(), LOG_LEVEL: 'silent' }), silentLogger());
  const key = randomBytes(32);
  box = new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey: randomBytes(32) });
  outbox = new Outbox(store.redis, store.prefix, box, store.connect('worker'));
  sandbox = new SandboxStore(store.redis, store.prefix);
  chatStatus = new ChatStatusStore(store.redis, store.prefix, box);
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await outbox.close();
  const redis = testRedis();
  await deleteKeys(redis, store.prefix);
  await redis.quit();
  await store.close();
});

function start(limits: Partial<ChannelLimits> = {}, concurrency = 4): void {
  const adapter = new SandboxChannel(sandbox);
  Object.assign(adapter, { limits: { ...adapter.limits, ...limits } });
  workers.push(
    startOutboundWorker({ adapter, outbox, chatStatus, box, redis: store.redis, connection: store.connect('worker'), prefix: store.prefix, logger: silentLogger(), concurrency }),
  );
}

const text = (id: string, chatId: string, body: string, lane: 'reply' | 'broadcast' = 'broadcast') =>
  outbox.send({ id, platform: 'sandbox', chatId, chatKind: chatId.startsWith('group') ? 'group' : 'private', lane, message: { kind: 'text', text: body } });

describe('outbound sending', () => {
  it('splits long text into parts within the platform limit and records every part', async () => {
    start();
    const long = Array.from({ length: 150 }, (_, i) => `Câu thứ ${i + 1} của bản tin phòng, chống ma túy.`).join(' ');
    await text('long-1', 'group-a', long);
    await expect.poll(async () => (await outbox.deliveries.get('long-1'))?.status, { timeout: 5_000 }).toBe('sent');
    const parts = (await sandbox.transcript('group-a')).map((e) => e.text);
    expect(long.length).toBeGreaterThan(6000);
    expect(parts.length).toBeGreaterThanOrEqual(4);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join(' ')).toBe(long);
    expect((await outbox.deliveries.get('long-1'))!.messageIds.split(',')).toHaveLength(parts.length);
  });

  it('sends a message once however often it is requested', async () => {
    start();
    await Promise.all([text('dup-1', 'group-a', 'một lần thôi'), text('dup-1', 'group-a', 'một lần thôi'), text('dup-1', 'group-a', 'một lần thôi')]);
    await expect.poll(async () => (await outbox.deliveries.get('dup-1'))?.status, { timeout: 5_000 }).toBe('sent');
    await text('dup-1', 'group-a', 'một lần thôi');
    await new Promise((r) => setTimeout(r, 300));
    expect((await sandbox.transcript('group-a')).map((e) => e.text)).toEqual(['một lần thôi']);
  });

  it('serves replies to people ahead of queued broadcasts', async () => {
    for (let i = 0; i < 15; i++) await text(`bulk-${i}`, `group-${i}`, `bản tin ${i}`);
    await text('reply-1', 'private-lan', 'trả lời chị Lan', 'reply');
    start({}, 1);
    await expect.poll(async () => (await outbox.deliveries.get('bulk-14'))?.status, { timeout: 5_000 }).toBe('sent');
    const replyAt = Date.parse((await sandbox.transcript('private-lan'))[0]!.at);
    const broadcastTimes = await Promise.all(Array.from({ length: 15 }, async (_, i) => Date.parse((await sandbox.transcript(`group-${i}`))[0]!.at)));
    expect(replyAt).toBeLessThanOrEqual(Math.min(...broadcastTimes));
  });

  it('keeps to the per-chat rate without holding up other chats', async () => {
    // 600/min = one every 100 ms after a burst of 3.
    start({ groupMessagesPerMinute: 600 }, 8);
    const started = Date.now();
    for (let i = 0; i < 6; i++) await text(`busy-${i}`, 'group-busy', `tin ${i}`);
    await text('other-1', 'group-quiet', 'tin khác');
    await expect.poll(async () => (await sandbox.transcript('group-busy')).length, { timeout: 10_000 }).toBe(6);
    const times = (await sandbox.transcript('group-busy')).map((e) => Date.parse(e.at));
    expect(times[5]! - started).toBeGreaterThanOrEqual(250);
    const quiet = await sandbox.transcript('group-quiet');
    expect(Date.parse(quiet[0]!.at)).toBeLessThan(times[5]!);
  });

  it('skips a chat marked unreachable and lets an operator retry a failed delivery', async () => {
    await chatStatus.markUnreachable('sandbox', 'group-gone', 'removed-from-group');
    start();
    await text('gone-1', 'group-gone', 'không tới');
    await expect.poll(async () => (await outbox.deliveries.get('gone-1'))?.status, { timeout: 5_000 }).toBe('skipped');
    expect((await outbox.deliveries.get('gone-1'))!.reason).toBe('chat unreachable: removed-from-group');
    expect(await outbox.retry('gone-1')).toBe(false);
    expect(await sandbox.transcript('group-gone')).toEqual([]);

    await outbox.deliveries.finish('gone-1', 'failed', 'for the test');
    await chatStatus.markReachable('sandbox', 'group-gone');
    expect(await outbox.retry('gone-1')).toBe(true);
    await expect.poll(async () => (await outbox.deliveries.get('gone-1'))?.status, { timeout: 5_000 }).toBe('sent');
  });

  it('keeps chat ids and text out of job data and sealed at rest', async () => {
    await text('sealed-1', 'private-0987654321', 'nội dung riêng tư');
    const job = await outbox.queue('sandbox').getJob('sealed-1');
    expect(job!.data).toEqual({ id: 'sealed-1' });
    // Keys and values of every type, byte for byte too.
    const stored = await everythingStored(store.redis, store.prefix);
    expect(stored).not.toContain('0987654321');
    expect(stored).not.toContain('riêng tư');
  });
});
