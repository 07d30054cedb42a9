import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { ApiTokens } from '../../src/accounts/api-tokens.js';
import { UserStore } from '../../src/accounts/user-store.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { Inbox } from '../../src/channels/inbound/inbox.js';
import { INBOUND_QUEUE } from '../../src/channels/queues.js';
import { loadConfig } from '../../src/platform/config.js';
import { loadKeyring } from '../../src/platform/crypto/keyring.js';
import { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { createLogger } from '../../src/platform/logger.js';
import { queuePrefix } from '../../src/platform/redis/queue-options.js';
import { TipStore, tipKeys } from '../../src/tips/tip-store.js';
import type { BenchRow } from './bench-row.js';
import { BenchService } from './bench-service.js';

/** Issue 9, figure 3: tips at 50 a second for about 10 s; p99 from the last webhook to the triage queue < 100 ms. */
const TIPS = 500;
const TIPS_PER_SECOND = 50;
const MAX_P99_MS = 100;
/** Conversations brought to their last step at once, before the measured part. */
const PREPARE_CONCURRENCY = 25;
const STEP_TIMEOUT_MS = 30_000;
const VISIBLE_TIMEOUT_MS = 30_000;

/**
 * The chat conversation up to its last question, as a tipster types it: start, kind of activity (1 = trade),
 * where, when, what was seen (numbered, to tell the tips apart afterwards), no photo. The last step, "có" (yes) to
 * the summary, is what submits the tip.
 */
const PREPARATION = [
  () => '/togiac',
  () => '1',
  () => 'Hẻm 12 đường Lê Lợi, gần cổng chợ',
  () => 'Tối qua, khoảng 21 giờ',
  (n: number) => `Tin số ${n}: một xe máy dừng ở đầu hẻm mỗi tối, nhiều người tới nhận gói nhỏ rồi đi ngay.`,
  () => 'bỏ qua',
];
const CONFIRM = 'có';
const NUMBER_IN_TEXT = /^Tin số (\d+):/;

const chatOf = (n: number) => `bench-tipster-${n}`;

/** Runs `task` over 0..count-1 with at most `limit` in flight. */
async function inParallel(count: number, limit: number, task: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

/** Nearest-rank quantile of ascending values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Resolves when the inbound worker has finished handling a given update (its job is keyed by `Inbox.refOf`). */
class HandledUpdates {
  private readonly waiting = new Map<string, () => void>();

  constructor(events: QueueEvents) {
    events.on('completed', ({ jobId }) => {
      this.waiting.get(jobId)?.();
      this.waiting.delete(jobId);
    });
  }

  /** Call before posting the update, so that a quick completion is not missed. */
  expect(updateId: string): Promise<void> {
    const ref = Inbox.refOf({ platform: 'zalo', updateId });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(ref);
        reject(new Error(`update ${updateId} was not handled within ${STEP_TIMEOUT_MS} ms`));
      }, STEP_TIMEOUT_MS);
      this.waiting.set(ref, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function textUpdate(chatId: string, updateId: string, text: string) {
  const message = { message_id: updateId, date: Date.now(), chat: { id: chatId, chat_type: 'PRIVATE' }, from: { id: chatId, is_bot: false }, text };
  return JSON.stringify({ ok: true, result: { event_name: 'message.text.received', message } });
}

/**
 * When each tip becomes visible in the triage queue, by subscription: `TipStore.create` writes the tip's record hash
 * and its entry in the index that `GET /api/v1/tips` lists in one MULTI, so the keyspace notification of that HSET
 * (channel `__keyspace@0__:<prefix>:tips:tip:<id>`) arrives once a listing would show the tip. The bench owns this
 * Redis and turns the notifications on for hash commands only. Reading on arrival costs the service nothing, where
 * polling the API 50+ times a second would load the very process being measured and add up to a polling interval.
 */
async function watchNewTips(subscriber: Redis, redis: Redis, prefix: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const keyPrefix = tipKeys(prefix).tip('');
  const channelPrefix = '__keyspace@0__:';
  await redis.config('SET', 'notify-keyspace-events', 'Kh');
  subscriber.on('pmessage', (_pattern: string, channel: string, event: string) => {
    const at = performance.now();
    const id = channel.slice(channelPrefix.length + keyPrefix.length);
    if (event === 'hset' && !seen.has(id)) seen.set(id, at);
  });
  await subscriber.psubscribe(`${channelPrefix}${keyPrefix}*`);
  return seen;
}

/** The police's own view: how many tips `GET /api/v1/tips` lists, with a token of a police account made for it. */
async function listedByApi(bench: BenchService, redis: Redis, box: SealedBox): Promise<number> {
  const audit = new AuditLog(redis, bench.prefix);
  const users = new UserStore(redis, bench.prefix, audit);
  await users.add({ username: 'bench-police', displayName: 'Bench police', role: 'police', password: randomBytes(18).toString('base64') }, 'bench');
  const token = await new ApiTokens(redis, bench.prefix, box, users, audit).issue('bench-police', 'bench');
  const response = await fetch(`${bench.baseUrl}/api/v1/tips`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /api/v1/tips answered ${response.status}`);
  return ((await response.json()) as { tips: unknown[] }).tips.length;
}

interface Timings {
  sentAt: number[];
  answeredAt: number[];
  statuses: number[];
}

/** The measured part: each conversation's last message, one every 1/50 s, not waiting for the previous answer. */
async function confirmPaced(bench: BenchService): Promise<Timings> {
  const timings: Timings = { sentAt: [], answeredAt: [], statuses: [] };
  const posts: Promise<void>[] = [];
  const start = performance.now() + 50;
  for (let n = 0; n < TIPS; n++) {
    const wait = start + (n * 1000) / TIPS_PER_SECOND - performance.now();
    if (wait > 0) await sleep(wait);
    timings.sentAt[n] = performance.now();
    const body = textUpdate(chatOf(n), `tip-${n}-confirm`, CONFIRM);
    posts.push(
      fetch(bench.webhookUrl, { method: 'POST', headers: bench.webhookHeaders, body }).then(async (response) => {
        timings.answeredAt[n] = performance.now();
        timings.statuses[n] = response.status;
        await response.arrayBuffer();
      }),
    );
  }
  await Promise.all(posts);
  return timings;
}

async function measure(bench: BenchService): Promise<BenchRow[]> {
  const config = loadConfig(bench.env);
  const box = new SealedBox(loadKeyring(config.secrets, createLogger('silent')));
  const redis = bench.connect();
  const subscriber = bench.connect();
  const eventsConnection = bench.connect();
  const events = new QueueEvents(INBOUND_QUEUE, { connection: eventsConnection, prefix: queuePrefix(bench.prefix) });
  try {
    await events.waitUntilReady();
    const handled = new HandledUpdates(events);
    const say = async (n: number, step: number, text: string) => {
      const updateId = `tip-${n}-${step}`;
      const done = handled.expect(updateId);
      const response = await fetch(bench.webhookUrl, { method: 'POST', headers: bench.webhookHeaders, body: textUpdate(chatOf(n), updateId, text) });
      if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
      await done;
    };
    process.stderr.write(`tips: bringing ${TIPS} chat conversations to their last step\n`);
    await inParallel(TIPS, PREPARE_CONCURRENCY, async (n) => {
      for (const [step, text] of PREPARATION.entries()) await say(n, step, text(n));
    });

    const visibleAt = await watchNewTips(subscriber, redis, bench.prefix);
    process.stderr.write(`tips: confirming ${TIPS} tips at ${TIPS_PER_SECOND}/s\n`);
    const timings = await confirmPaced(bench);
    const deadline = Date.now() + VISIBLE_TIMEOUT_MS;
    while (visibleAt.size < TIPS && Date.now() < deadline) await sleep(50);

    const store = new TipStore(redis, bench.prefix, box);
    const latencies: number[] = [];
    for (const [id, at] of visibleAt) {
      const n = Number(NUMBER_IN_TEXT.exec((await store.content(id)).what)?.[1]);
      const sent = timings.sentAt[n];
      if (sent !== undefined) latencies.push(at - sent);
    }
    latencies.sort((a, b) => a - b);
    const listed = await listedByApi(bench, redis, box);
    return report(timings, latencies, listed);
  } finally {
    await events.close();
    eventsConnection.disconnect();
    subscriber.disconnect();
    redis.disconnect();
  }
}

function report(timings: Timings, latencies: readonly number[], listed: number): BenchRow[] {
  const unseen = TIPS - latencies.length;
  const p99 = quantile(latencies, 0.99);
  const paceSeconds = (timings.sentAt[TIPS - 1]! - timings.sentAt[0]!) / 1000;
  const answers = timings.sentAt.map((sent, n) => timings.answeredAt[n]! - sent).sort((a, b) => a - b);
  const refused = timings.statuses.filter((status) => status !== 200).length;
  return [
    { figure: `Tip intake: last step sent, ${TIPS} tips paced at ${TIPS_PER_SECOND}/s`, value: `${((TIPS - 1) / paceSeconds).toFixed(1)} tips/s over ${paceSeconds.toFixed(1)} s, ${refused} not answered 200` },
    { figure: 'Tip intake: webhook answer to the last step', value: `p50 ${ms(quantile(answers, 0.5))}, p99 ${ms(quantile(answers, 0.99))}` },
    { figure: 'Tip intake: last webhook POST to listed in the triage queue, p50', value: ms(quantile(latencies, 0.5)) },
    {
      figure: 'Tip intake: last webhook POST to listed in the triage queue, p99',
      value: unseen === 0 ? ms(p99) : `${ms(p99)} of those listed; ${unseen} never listed`,
      target: `< ${MAX_P99_MS} ms`,
      met: unseen === 0 && p99 < MAX_P99_MS,
    },
    { figure: 'Tip intake: tips listed by GET /api/v1/tips afterwards', value: `${listed} of ${TIPS}`, target: `${TIPS}`, met: listed === TIPS },
  ];
}

/** `loaphuong serve` in a child process (see bench-service.ts), tips coming in through the Zalo Bot webhook. */
export async function run(): Promise<BenchRow[]> {
  const bench = await BenchService.start();
  try {
    return await measure(bench);
  } finally {
    await bench.close();
  }
}
