import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.js';
import { WEBHOOK_PLATFORMS, WebhookPlatforms, type WebhookRequest } from '../support/webhook-platforms.js';

const UPDATES = 10;
const COPIES = 3;

let platforms: WebhookPlatforms;
let service: TestService;

beforeAll(async () => {
  platforms = await new WebhookPlatforms().start();
  service = await startTestService({ DEFAULT_LOCALE: 'en', SANDBOX_ENABLED: 'false', ...platforms.env });
});

afterAll(async () => {
  await service?.stop();
  await platforms?.close();
});

async function post(request: WebhookRequest): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${service.baseUrl}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(WEBHOOK_PLATFORMS)('the same %s update delivered three times at once', (platform) => {
  it('is processed once: one acceptance, the other copies acknowledged as duplicates, one reply', async () => {
    // Chat and update ids of their own per platform, so the three platforms' tests can run in any order.
    const base = 1_000 * (WEBHOOK_PLATFORMS.indexOf(platform) + 1);
    const chats = Array.from({ length: UPDATES }, (_, i) => String(base + i));
    const requests = chats.map((chatId, i) => platforms.privateText(platform, { chatId, updateId: String(base + 500 + i), text: '/trogiup' }));

    // Every copy of every update in flight together.
    const answers = await Promise.all(requests.flatMap((request) => Array.from({ length: COPIES }, () => post(request))));
    expect(answers.map((a) => a.status)).toEqual(Array(UPDATES * COPIES).fill(200));
    expect(answers.filter((a) => a.body.accepted)).toHaveLength(UPDATES);
    expect(answers.filter((a) => a.body.duplicate)).toHaveLength(UPDATES * (COPIES - 1));

    await expect.poll(() => chats.every((chatId) => platforms.sentTo(platform, chatId) > 0), { timeout: 15_000 }).toBe(true);
    // A second reply, if any, would follow the first closely.
    await sleep(500);
    for (const chatId of chats) expect(platforms.sentTo(platform, chatId), chatId).toBe(1);
  });
});
