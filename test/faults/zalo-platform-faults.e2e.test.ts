import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_API_TIMEOUT_MS } from '../../src/channels/zalo-bot/api-client.js';
import { SEND_METHODS, ZaloBotFake, zaloUpdate, type ZaloFakeRequest } from '../fakes/zalo-bot-fake.js';
import { startTestService, type TestService } from '../support/service.js';
import { addGroups, countPerChat, earlyRetries, fireBroadcast } from './fan-out.js';

const TOKEN = '2718281828:ZaloFaultTestSecret';
const GROUPS = Array.from({ length: 50 }, (_, i) => `grp-fault-${i}`);
const RESIDENTS = Array.from({ length: 5 }, (_, i) => `resident-fault-${i}`);
const RETRY_AFTER_SECONDS = 1;
/** The platform's bad spell, in the order the sends meet it; after the last one it answers normally. */
const RATE_LIMITED = 6;
const SERVER_ERRORS = 10;
/** Each hangs until the adapter gives up, so this many times its timeout is spent waiting. */
const HANGS = 8;

let fake: ZaloBotFake;
let service: TestService;

beforeEach(async () => {
  fake = new ZaloBotFake({ token: TOKEN });
  const base = await fake.start();
  service = await startTestService({
    DEFAULT_LOCALE: 'en',
    ZALO_BOT_TOKEN: TOKEN,
    ZALO_BOT_MODE: 'polling',
    ZALO_BOT_API_BASE: base,
    ZALO_BOT_RATE_PER_SECOND: '200',
    SANDBOX_ENABLED: 'false',
  });
});

afterEach(async () => {
  await service.stop();
  await fake.close();
});

const sendRequests = () => fake.requests.filter((r) => (SEND_METHODS as readonly string[]).includes(r.method));
const chatOf = (request: ZaloFakeRequest) => String(request.body.chat_id);

it(
  'delivers a whole fan-out and the replies once the Zalo Bot API recovers from 429s, 5xx and hangs, none twice, waiting as long as each 429 asked',
  // A guard against hangs only: the hangs alone hold every send slot for the adapter's whole timeout.
  { timeout: 90_000 },
  async () => {
    // A hang is a request the platform never took: a send that timed out after the platform took it would be
    // sent again (timeouts are transient and retried), which no client can avoid without the platform's help.
    fake.failNext(RATE_LIMITED, { kind: 'rate-limit', retryAfterSeconds: RETRY_AFTER_SECONDS });
    fake.failNext(SERVER_ERRORS, { kind: 'server-error' });
    fake.failNext(HANGS, { kind: 'hang' });
    await addGroups(service, 'zalo', GROUPS);

    const broadcast = await fireBroadcast(service, 'Fault test: Zalo Bot');
    for (const chatId of RESIDENTS) fake.queueUpdate(zaloUpdate({ chatId, text: '/trogiup' }));

    const deadline = 4 * DEFAULT_API_TIMEOUT_MS;
    await expect.poll(() => broadcast.finished(), { timeout: deadline, interval: 200 }).toBe(true);
    await expect.poll(() => RESIDENTS.every((chatId) => fake.sent.some((s) => s.chatId === chatId)), { timeout: deadline, interval: 200 }).toBe(true);
    // Room for a late duplicate to show: a retried job still running, a second send of a reply.
    await expect.poll(async () => (await service.channels.outbox.queue('zalo').getJobCounts('waiting', 'prioritized', 'active', 'delayed')), { timeout: deadline }).toEqual({ waiting: 0, prioritized: 0, active: 0, delayed: 0 });

    // The whole bad spell was met.
    const met = (kind: ZaloFakeRequest['fault']) => sendRequests().filter((r) => r.fault === kind).length;
    expect({ rateLimited: met('rate-limit'), serverErrors: met('server-error'), hangs: met('hang') }).toEqual({ rateLimited: RATE_LIMITED, serverErrors: SERVER_ERRORS, hangs: HANGS });

    const perChat = countPerChat(fake.sent);
    for (const chatId of [...GROUPS, ...RESIDENTS]) expect(perChat.get(chatId), chatId).toBe(1);
    expect(fake.sent).toHaveLength(GROUPS.length + RESIDENTS.length);
    const rows = await broadcast.rows();
    expect(rows).toHaveLength(GROUPS.length);
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);

    const attempts = sendRequests().map((r) => ({
      chatId: chatOf(r),
      at: r.at,
      ...(r.fault === 'rate-limit' ? { retryAfterMs: RETRY_AFTER_SECONDS * 1000 } : {}),
    }));
    expect(earlyRetries(attempts)).toEqual([]);
    // Every refused or unanswered attempt was followed by another to the same chat.
    const retried = sendRequests().filter((r) => r.fault).map(chatOf);
    for (const chatId of retried) expect(attempts.filter((a) => a.chatId === chatId).length, chatId).toBeGreaterThan(1);
  },
);
