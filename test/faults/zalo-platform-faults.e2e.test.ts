import { afterEach, beforeEach, it } from 'vitest';
import { DEFAULT_API_TIMEOUT_MS } from '../../src/channels/zalo-bot/api-client.js';
import { SEND_METHODS, ZaloBotFake, zaloUpdate } from '../fakes/zalo-bot-fake.js';
import { startTestService, type TestService } from '../support/service.js';
import { addGroups, expectDeliveredOnceAfter, fireBroadcast, type BadSpell } from './fan-out.js';

const TOKEN = '2718281828:ZaloFaultTestSecret';
const GROUPS = Array.from({ length: 50 }, (_, i) => `grp-fault-${i}`);
const RESIDENTS = Array.from({ length: 5 }, (_, i) => `resident-fault-${i}`);
/** Each hang lasts until the adapter gives up, so `hangs` times its timeout is spent waiting. */
const SPELL: BadSpell = { rateLimited: 6, retryAfterSeconds: 1, serverErrors: 10, hangs: 8 };

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

it(
  'delivers a whole fan-out and the replies once the Zalo Bot API recovers from 429s, 5xx and hangs, none twice, waiting as long as each 429 asked',
  // A guard against hangs only: the hangs alone hold every send slot for the adapter's whole timeout.
  { timeout: 90_000 },
  async () => {
    // A hang is a request the platform never took: a send that timed out after the platform took it would be
    // sent again (timeouts are transient and retried), which no client can avoid without the platform's help.
    fake.failNext(SPELL.rateLimited, { kind: 'rate-limit', retryAfterSeconds: SPELL.retryAfterSeconds });
    fake.failNext(SPELL.serverErrors, { kind: 'server-error' });
    fake.failNext(SPELL.hangs, { kind: 'hang' });
    await addGroups(service, 'zalo', GROUPS);

    const broadcast = await fireBroadcast(service, 'Fault test: Zalo Bot');
    for (const chatId of RESIDENTS) fake.queueUpdate(zaloUpdate({ chatId, text: '/trogiup' }));

    await expectDeliveredOnceAfter(SPELL, {
      service,
      platform: 'zalo',
      broadcast,
      groups: GROUPS,
      residents: RESIDENTS,
      sent: () => fake.sent,
      sends: () =>
        fake.requests
          .filter((r) => (SEND_METHODS as readonly string[]).includes(r.method))
          .map((r) => ({ chatId: String(r.body.chat_id), at: r.at, fault: r.fault })),
      deadlineMs: 4 * DEFAULT_API_TIMEOUT_MS,
    });
  },
);
