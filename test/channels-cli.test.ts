import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TELEGRAM_TOKEN, TelegramFake } from './fakes/telegram-fake.js';
import { ZaloBotFake } from './fakes/zalo-bot-fake.js';
import { runCli, RUNS_CLI } from './support/cli.js';

const ZALO_TOKEN = '2718281828:ZaloBotSecretPart';
const zalo = new ZaloBotFake({ token: ZALO_TOKEN });
const telegram = new TelegramFake();
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = {
    DEFAULT_LOCALE: 'en',
    ZALO_BOT_TOKEN: ZALO_TOKEN,
    ZALO_BOT_WEBHOOK_SECRET: 'zalo-hook-secret-123',
    ZALO_BOT_API_BASE: await zalo.start(),
    TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: 'tg-hook-secret-123456',
    TELEGRAM_API_ROOT: await telegram.start(),
  };
});
afterAll(async () => {
  await zalo.close();
  await telegram.close();
});

describe('loaphuong channels', RUNS_CLI, () => {
  it('checks the bot accounts', async () => {
    const result = await runCli(['channels', 'check'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Zalo: bot .+, can join groups: true\nTelegram: bot @.+, can join groups: (true|false)\n$/);
    expect(result.stdout + result.stderr).not.toContain('ZaloBotSecretPart');
  });

  it('points the webhooks at PUBLIC_URL, and refuses without one', async () => {
    const missing = await runCli(['channels', 'set-webhooks'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error: Set PUBLIC_URL (the https address the platforms call) before setting webhooks.\n');

    const result = await runCli(['channels', 'set-webhooks'], { ...env, PUBLIC_URL: 'https://loa.phuong.example/' });
    expect(result.stdout).toBe(
      'Zalo: webhook → https://loa.phuong.example/webhooks/zalo\nTelegram: webhook → https://loa.phuong.example/webhooks/telegram\n',
    );
    expect(JSON.stringify(zalo.webhook)).toContain('https://loa.phuong.example/webhooks/zalo');
    expect(JSON.stringify(telegram.webhook)).toContain('https://loa.phuong.example/webhooks/telegram');
  });
});
