import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistrationCodes } from '../src/groups/registration-codes.js';
import { signZaloOaWebhook, ZaloOaFake } from './fakes/zalo-oa-fake.js';
import { startTestService, type TestService } from './support/service.js';

const OA_SECRET = 'oa-secret-key-for-tests';
let fake: ZaloOaFake;
let service: TestService;

beforeEach(async () => {
  fake = new ZaloOaFake({ groups: ['grp-oa-1'] });
  const base = await fake.start();
  service = await startTestService({
    DEFAULT_LOCALE: 'en',
    ZALO_OA_APP_ID: fake.appId,
    ZALO_OA_APP_SECRET: fake.appSecret,
    ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_OA_REFRESH_TOKEN: fake.currentRefreshToken,
    ZALO_OA_API_BASE: base,
    ZALO_OA_OAUTH_BASE: base,
  });
});

afterEach(async () => {
  await service.stop();
  await fake.close();
});

let counter = 0;
function post(event: Record<string, unknown>, signature?: string): Promise<Response> {
  const raw = JSON.stringify({ app_id: fake.appId, timestamp: String(Date.now()), sender: { id: 'user-1' }, ...event });
  return fetch(`${service.baseUrl}/webhooks/zalo-oa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zevent-signature': signature ?? signZaloOaWebhook(fake.appId, OA_SECRET, raw) },
    body: raw,
  });
}

describe('Zalo Official Account through the whole service', () => {
  it('checks the signature, answers a follower and registers a group through the Group Message Framework', async () => {
    const text = (t: string, extra: Record<string, unknown> = {}) => ({
      event_name: 'user_send_text',
      recipient: { id: 'oa-1' },
      message: { text: t, msg_id: `m-${++counter}` },
      ...extra,
    });
    expect((await post(text('/trogiup'), 'mac=0000')).status).toBe(401);

    expect((await post(text('/trogiup'))).status).toBe(200);
    await expect.poll(() => fake.sent.filter((s) => s.chatId === 'user:user-1').length, { timeout: 8_000 }).toBe(1);
    expect(fake.sent[0]!.text).toMatch(/^Hello! This is Loa Phường/);
    expect(fake.refreshes).toBe(1);

    const { code } = await new RegistrationCodes(service.datastore.redis, service.datastore.prefix).issue({ name: 'Khu công nghiệp A', tags: ['enterprise'] });
    expect((await post(text(`/dangky ${code}`, { event_name: 'user_send_group_text', recipient: { id: 'grp-oa-1' } }))).status).toBe(200);
    await expect.poll(() => fake.sent.filter((s) => s.chatId === 'group:grp-oa-1').length, { timeout: 8_000 }).toBe(1);
    expect(await service.groups.list({ platform: 'zalo-oa' })).toEqual([expect.objectContaining({ chatId: 'group:grp-oa-1', name: 'Khu công nghiệp A' })]);
  });
});
