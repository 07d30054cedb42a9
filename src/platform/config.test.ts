import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, localeFromEnv } from './config.js';
import { shippedContentDir } from './paths.js';

function problemsOf(env: NodeJS.ProcessEnv, envFile?: string): string[] {
  try {
    loadConfig(env, { envFile });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the local demo defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      env: 'development',
      http: { host: '127.0.0.1', port: 8080, trustedProxies: 0 },
      metrics: { token: undefined },
      log: { level: 'info' },
      locale: { default: 'vi' },
      redis: { url: undefined, prefix: 'lp', dataDir: resolve('./data/redis'), serverBin: 'redis-server' },
      shutdownTimeoutMs: 15_000,
      workerStallMs: 30_000,
      timeZone: 'Asia/Ho_Chi_Minh',
      quietHours: { from: '21:00', to: '06:30' },
      tips: { retentionDays: 180, policeChat: undefined },
      staffChat: undefined,
      publicUrl: undefined,
      secrets: { encryptionKeys: undefined, hmacSecret: undefined, file: resolve('./data/secrets/keys.json') },
      contentDir: shippedContentDir,
      ward: { name: undefined, nameEn: undefined, policePhone: undefined, policeAddress: undefined, officeHours: undefined },
      channels: { sandbox: { enabled: true }, zalo: undefined, zaloOa: undefined, telegram: undefined },
    });
  });

  it('configures a platform only with its credentials, and names a missing partner setting', () => {
    const telegram = loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABC-def_ghi', TELEGRAM_WEBHOOK_SECRET: 'x'.repeat(20), TELEGRAM_GROUP_PER_MINUTE: '10' });
    expect(telegram.channels.telegram).toEqual({
      token: '123456:ABC-def_ghi',
      webhookSecret: 'x'.repeat(20),
      mode: 'webhook',
      apiRoot: 'https://api.telegram.org',
      rates: { messagesPerSecond: 25, groupMessagesPerMinute: 10, privateMessagesPerMinute: 60 },
    });
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '123456:ABC', TELEGRAM_MODE: 'polling' }).channels.telegram?.mode).toBe('polling');
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: '123456:ABC' })).toEqual([
      'Invalid configuration: TELEGRAM_WEBHOOK_SECRET — required when TELEGRAM_BOT_TOKEN is set and TELEGRAM_MODE is webhook (it is not set).',
    ]);
    expect(problemsOf({ ZALO_OA_APP_ID: '123' }).map((line) => line.split(' — ')[0])).toEqual([
      'Invalid configuration: ZALO_OA_APP_SECRET',
      'Invalid configuration: ZALO_OA_SECRET_KEY',
      'Invalid configuration: ZALO_OA_REFRESH_TOKEN',
    ]);
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: 'not a token' })[0]).toBe(
      'Invalid configuration: TELEGRAM_BOT_TOKEN — expected a token like 123456:ABC-DEF from @BotFather (the value given).',
    );
    expect(loadConfig({ NODE_ENV: 'production' }).channels.sandbox.enabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SANDBOX_ENABLED: 'yes' }).channels.sandbox.enabled).toBe(true);
  });

  it('reads and converts every setting', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: '3000',
      TRUSTED_PROXIES: '1',
      LOG_LEVEL: 'debug',
      DEFAULT_LOCALE: 'en',
      REDIS_URL: 'rediss://user:pw@redis.internal:6380/2',
      REDIS_PREFIX: '{lp}',
      REDIS_DATA_DIR: '/var/lib/lp',
      REDIS_SERVER_BIN: '/opt/redis/bin/redis-server',
      SHUTDOWN_TIMEOUT_MS: '5000',
    });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 3000, trustedProxies: 1 });
    expect(config.redis).toEqual({
      url: 'rediss://user:pw@redis.internal:6380/2',
      prefix: '{lp}',
      dataDir: '/var/lib/lp',
      serverBin: '/opt/redis/bin/redis-server',
    });
    expect(config.locale.default).toBe('en');
    expect(config.shutdownTimeoutMs).toBe(5000);
  });

  it('reads the ward clock, quiet hours and stall time, and refuses nonsense in them', () => {
    const config = loadConfig({ TIME_ZONE: 'Asia/Bangkok', QUIET_HOURS: '22:15-05:45', WORKER_STALL_SECONDS: '5' });
    expect([config.timeZone, config.quietHours, config.workerStallMs]).toEqual(['Asia/Bangkok', { from: '22:15', to: '05:45' }, 5000]);
    expect(problemsOf({ TIME_ZONE: 'Mars/Olympus', QUIET_HOURS: '21h-6h30', WORKER_STALL_SECONDS: '0' }).map((line) => line.split(' — ')[0])).toEqual([
      'Invalid configuration: WORKER_STALL_SECONDS',
      'Invalid configuration: TIME_ZONE',
      'Invalid configuration: QUIET_HOURS',
    ]);
    expect(problemsOf({ QUIET_HOURS: '21:00-21:00' })).toEqual([expect.stringContaining('a start and an end that differ')]);
    expect(loadConfig({ POLICE_CHAT: 'telegram:-100123:4', TIP_RETENTION_DAYS: '30' }).tips).toEqual({ retentionDays: 30, policeChat: { platform: 'telegram', chatId: '-100123:4' } });
    expect(loadConfig({ STAFF_CHAT: 'zalo:abc' }).staffChat).toEqual({ platform: 'zalo', chatId: 'abc' });
    expect(problemsOf({ POLICE_CHAT: 'viber:123' })).toEqual([expect.stringMatching(/^Invalid configuration: POLICE_CHAT — expected <platform>:<chat id>/)]);
  });

  it('names the variable and what is expected in one line', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([
      'Invalid configuration: PORT — expected an integer from 0 to 65535 (0 picks a free port) (got "eighty").',
    ]);
    expect(problemsOf({ PORT: '70000', DEFAULT_LOCALE: 'fr' })).toEqual([
      'Invalid configuration: PORT — expected an integer from 0 to 65535 (0 picks a free port) (got "70000").',
      expect.stringMatching(/^Invalid configuration: DEFAULT_LOCALE — .*"vi".*"en".* \(got "fr"\)\.$/),
    ]);
    expect(problemsOf({ REDIS_PREFIX: 'has space' })[0]).toMatch(/^Invalid configuration: REDIS_PREFIX — expected 1-32/);
  });

  it('never echoes a value that may hold a credential', () => {
    const [line] = problemsOf({ REDIS_URL: 'http://admin:hunter2@example.org' });
    expect(line).toBe('Invalid configuration: REDIS_URL — expected a redis:// or rediss:// URL (the value given).');
    expect(line).not.toContain('hunter2');
  });

  it('reads an optional .env file, with the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-config-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# ward office\nPORT=9000\nLOG_LEVEL=warn\nHOST=\n');
    const config = loadConfig({ LOG_LEVEL: 'error' }, { envFile: file });
    expect(config.http.port).toBe(9000);
    expect(config.log.level).toBe('error');
    expect(config.http.host).toBe('127.0.0.1');
    expect(loadConfig({}, { envFile: join(dir, 'missing.env') }).http.port).toBe(8080);
    expect(problemsOf({}, (writeFileSync(file, 'SHUTDOWN_TIMEOUT_MS=-1\n'), file))).toEqual([
      'Invalid configuration: SHUTDOWN_TIMEOUT_MS — expected a positive number of milliseconds (got "-1").',
    ]);
  });

  it('picks the CLI language without failing on other settings', () => {
    expect(localeFromEnv({ DEFAULT_LOCALE: 'en', PORT: 'bad' })).toBe('en');
    expect(localeFromEnv({ DEFAULT_LOCALE: 'xx' })).toBe('vi');
    expect(localeFromEnv({})).toBe('vi');
  });
});
