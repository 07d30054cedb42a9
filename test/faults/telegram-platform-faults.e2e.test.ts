import { afterEach, beforeEach, it } from 'vitest';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from '../fakes/telegram-fake.js';
import { startTestService, type TestService } from '../support/service.js';
import { addGroups, expectDeliveredOnceAfter, fireBroadcast, type BadSpell } from './fan-out.js';

const GROUPS = Array.from({ length: 50 }, (_, i) => String(-1_001_000_000_000 - i));
const RESIDENTS = Array.from({ length: 5 }, (_, i) => 7_000 + i);
const SPELL: BadSpell = { rateLimited: 6, retryAfterSeconds: 2, serverErrors: 10, hangs: 8 };
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

it(
  'delivers a whole fan-out and the replies once the Telegram Bot API recovers from 429s, 5xx and hangs, none twice, waiting the retry_after each 429 gave',
  // A guard against hangs only: the hangs alone hold every send slot for the adapter's whole timeout.
  { timeout: 120_000 },
  async () => {
    // A hang is a request the platform never took (see the Zalo test: a timed-out send is retried by design).
    fake.failNext(SPELL.rateLimited, { kind: 'rate-limit', retryAfterSeconds: SPELL.retryAfterSeconds });
    fake.failNext(SPELL.serverErrors, { kind: 'server-error' });
    fake.failNext(SPELL.hangs, { kind: 'timeout', ms: HANG_MS });
    await addGroups(service, 'telegram', GROUPS);

    const broadcast = await fireBroadcast(service, 'Fault test: Telegram');
    for (const chatId of RESIDENTS) fake.queueMessage({ chatId, text: '/trogiup' });

    await expectDeliveredOnceAfter(SPELL, {
      service,
      platform: 'telegram',
      broadcast,
      groups: GROUPS,
      residents: RESIDENTS.map(String),
      sent: () => fake.sent,
      sends: () =>
        fake.requests
          .filter((r) => r.method === 'sendMessage' || r.method === 'sendPhoto')
          .map((r) => ({ chatId: String(r.params.chat_id), at: r.at, fault: r.fault === 'timeout' ? 'hang' : r.fault })),
      deadlineMs: 80_000,
    });
  },
);
