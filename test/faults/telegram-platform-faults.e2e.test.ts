import { afterEach, beforeEach, expect, it } from 'vitest';
import { FAKE_TELEGRAM_TOKEN, TelegramFake, type FakeTelegramRequest } from '../fakes/telegram-fake.js';
import { startTestService, type TestService } from '../support/service.js';
import { addGroups, countPerChat, earlyRetries, fireBroadcast } from './fan-out.js';

const GROUPS = Array.from({ length: 50 }, (_, i) => String(-1_001_000_000_000 - i));
const RESIDENTS = Array.from({ length: 5 }, (_, i) => 7_000 + i);
const RETRY_AFTER_SECONDS = 2;
/** The platform's bad spell, in the order the sends meet it; after the last one it answers normally. */
const RATE_LIMITED = 6;
const SERVER_ERRORS = 10;
const HANGS = 8;
/** Far longer than the adapter's 15 s request timeout: the adapter gives up first, and the fake then takes nothing. */
const HANG_MS = 120_000;

let fake: TelegramFake;
let service: TestService;

beforeEach(async () => {
  fake = new TelegramFake({ maxLongPollMs: 200 });
  const apiRoot = await fake.start();
  service = await startTestService({
    DEFAULT_LOCALE: 'en',
    TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN,
    TELEGRAM_MODE: 'polling',
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_RATE_PER_SECOND: '200',
    SANDBOX_ENABLED: 'false',
  });
});

afterEach(async () => {
  await service.stop();
  await fake.close();
});

const sendRequests = () => fake.requests.filter((r) => r.method === 'sendMessage' || r.method === 'sendPhoto');
const chatOf = (request: FakeTelegramRequest) => String(request.params.chat_id);

it(
  'delivers a whole fan-out and the replies once the Telegram Bot API recovers from 429s, 5xx and hangs, none twice, waiting the retry_after each 429 gave',
  // A guard against hangs only: the hangs alone hold every send slot for the adapter's whole timeout.
  { timeout: 120_000 },
  async () => {
    // A hang is a request the platform never took (see the Zalo test: a timed-out send is retried by design).
    fake.failNext(RATE_LIMITED, { kind: 'rate-limit', retryAfterSeconds: RETRY_AFTER_SECONDS });
    fake.failNext(SERVER_ERRORS, { kind: 'server-error' });
    fake.failNext(HANGS, { kind: 'timeout', ms: HANG_MS });
    await addGroups(service, 'telegram', GROUPS);

    const broadcast = await fireBroadcast(service, 'Fault test: Telegram');
    for (const chatId of RESIDENTS) fake.queueMessage({ chatId, text: '/trogiup' });

    const deadline = 80_000;
    await expect.poll(() => broadcast.finished(), { timeout: deadline, interval: 200 }).toBe(true);
    await expect.poll(() => RESIDENTS.every((chatId) => fake.sent.some((s) => s.chatId === String(chatId))), { timeout: deadline, interval: 200 }).toBe(true);
    await expect.poll(async () => service.channels.outbox.queue('telegram').getJobCounts('waiting', 'prioritized', 'active', 'delayed'), { timeout: deadline }).toEqual({ waiting: 0, prioritized: 0, active: 0, delayed: 0 });

    const met = (kind: FakeTelegramRequest['fault']) => sendRequests().filter((r) => r.fault === kind).length;
    expect({ rateLimited: met('rate-limit'), serverErrors: met('server-error'), hangs: met('timeout') }).toEqual({ rateLimited: RATE_LIMITED, serverErrors: SERVER_ERRORS, hangs: HANGS });

    const perChat = countPerChat(fake.sent);
    for (const chatId of [...GROUPS, ...RESIDENTS.map(String)]) expect(perChat.get(chatId), chatId).toBe(1);
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
    for (const chatId of sendRequests().filter((r) => r.fault).map(chatOf)) {
      expect(attempts.filter((a) => a.chatId === chatId).length, chatId).toBeGreaterThan(1);
    }
  },
);
