import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { platformSchema } from '../channels/channel.js';
import { shippedContentDir } from './paths.js';
import { isTimeZone } from './time-zone.js';

export const SUPPORTED_LOCALES = ['vi', 'en'] as const;
export const localeSchema = z.enum(SUPPORTED_LOCALES);
export type Locale = z.infer<typeof localeSchema>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const PORT_EXPECTED = 'expected an integer from 0 to 65535 (0 picks a free port)';
const port = z.coerce.number({ message: PORT_EXPECTED }).int(PORT_EXPECTED).min(0, PORT_EXPECTED).max(65535, PORT_EXPECTED);

const positiveInt = (what: string) =>
  z.coerce.number({ message: `expected ${what}` }).int(`expected ${what}`).positive(`expected ${what}`);

/**
 * Every setting the service reads, with its default. Names are the environment variable names so that an
 * error can point at exactly what the operator has to change.
 */
const url = (what: string) => z.url({ protocol: /^https?$/, message: `expected ${what} (an http:// or https:// URL)` });
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const mode = z.enum(['webhook', 'polling'], { message: 'expected webhook or polling' });
/** Telegram allows A-Za-z0-9_- in webhook secrets, Zalo 8-256 characters: one rule that suits both. */
const webhookSecret = z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16-256 letters, digits, "_" or "-"');

/** Per-platform send rates: `<P>_RATE_PER_SECOND`, `<P>_GROUP_PER_MINUTE`, `<P>_PRIVATE_PER_MINUTE`. */
function rateSettings<P extends string>(platform: P, perSecond: number, groupPerMinute: number, privatePerMinute: number) {
  return {
    [`${platform}_RATE_PER_SECOND`]: positiveInt('a positive number of messages per second').default(perSecond),
    [`${platform}_GROUP_PER_MINUTE`]: positiveInt('a positive number of messages per minute').default(groupPerMinute),
    [`${platform}_PRIVATE_PER_MINUTE`]: positiveInt('a positive number of messages per minute').default(privatePerMinute),
  } as Record<`${P}_RATE_PER_SECOND` | `${P}_GROUP_PER_MINUTE` | `${P}_PRIVATE_PER_MINUTE`, z.ZodDefault<ReturnType<typeof positiveInt>>>;
}

/** A chat the service writes to by itself: `<platform>:<chat id>`. */
const chatAddress = z
  .string()
  .regex(/^(zalo|zalo-oa|telegram|sandbox):[^\s]{1,200}$/, 'expected <platform>:<chat id>, e.g. telegram:-1001234567890')
  .transform((value) => ({ platform: platformSchema.parse(value.slice(0, value.indexOf(':'))), chatId: value.slice(value.indexOf(':') + 1) }));

const baseEnvSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'expected development, production or test' })
    .default('development'),
  HOST: z.string().min(1, 'expected a host name or IP address to listen on').default('127.0.0.1'),
  PORT: port.default(8080),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  DEFAULT_LOCALE: localeSchema.default('vi'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, message: 'expected a redis:// or rediss:// URL' })
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]{1,32}$/, 'expected 1-32 letters, digits, "_", "-" or a {hash-tag}')
    .default('lp'),
  REDIS_DATA_DIR: z.string().min(1, 'expected a directory path').default('./data/redis'),
  REDIS_SERVER_BIN: z.string().min(1, 'expected a path or command name').default('redis-server'),
  SHUTDOWN_TIMEOUT_MS: positiveInt('a positive number of milliseconds').default(15_000),
  TIP_RETENTION_DAYS: positiveInt('a positive number of days').default(180),
  POLICE_CHAT: chatAddress.optional(),
  STAFF_CHAT: chatAddress.optional(),
  TRUSTED_PROXIES: z.coerce
    .number({ message: 'expected the number of reverse proxies in front of the service (0 when none)' })
    .int('expected a whole number')
    .min(0, 'expected 0 or more')
    .max(5, 'expected at most 5')
    .default(0),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{32,256}$/, 'expected 32-256 printable characters without spaces, e.g. from: openssl rand -hex 32')
    .optional(),
  WORKER_STALL_SECONDS: positiveInt('a positive number of seconds').default(30),
  TIME_ZONE: z.string().refine(isTimeZone, 'expected an IANA time zone such as Asia/Ho_Chi_Minh').default('Asia/Ho_Chi_Minh'),
  QUIET_HOURS: z
    .string()
    .regex(/^(?:[01]\d|2[0-3]):[0-5]\d-(?:[01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm-HH:mm in 24-hour time, e.g. 21:00-06:30')
    .refine((v) => v.slice(0, 5) !== v.slice(6), 'expected a start and an end that differ')
    .default('21:00-06:30'),
  PUBLIC_URL: url('the address people and platforms reach this service at').optional(),
  ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,16}:[A-Za-z0-9+/]{43}=)*$/,
      'expected id:base64key pairs separated by commas, each key 32 random bytes in base64, the current key first',
    )
    .optional(),
  HMAC_SECRET: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'expected 32 random bytes in base64').optional(),
  SECRETS_FILE: z.string().min(1, 'expected a file path').default('./data/secrets/keys.json'),
  SANDBOX_ENABLED: bool.optional(),
  CONTENT_DIR: z.string().min(1, 'expected a directory path').optional(),
  WARD_NAME: z.string().trim().min(1).max(60, 'expected at most 60 characters').optional(),
  WARD_NAME_EN: z.string().trim().min(1).max(60, 'expected at most 60 characters').optional(),
  WARD_POLICE_PHONE: z.string().trim().regex(/^[0-9 +().-]{3,30}$/, 'expected a phone number such as 0225 3846 xxx').optional(),
  WARD_POLICE_ADDRESS: z.string().trim().min(1).max(60, 'expected at most 60 characters').optional(),
  WARD_OFFICE_HOURS: z.string().trim().min(1).max(60, 'expected at most 60 characters').optional(),

  ZALO_BOT_TOKEN: z.string().regex(/^[^\s/]+$/, 'expected the bot token from Zalo Bot Creator').optional(),
  ZALO_BOT_WEBHOOK_SECRET: webhookSecret.optional(),
  ZALO_BOT_MODE: mode.default('webhook'),
  ZALO_BOT_API_BASE: url('the Zalo Bot API base').default('https://bot-api.zaloplatforms.com'),
  ...rateSettings('ZALO_BOT', 5, 20, 30),

  ZALO_OA_APP_ID: z.string().regex(/^\d+$/, 'expected the numeric app id').optional(),
  ZALO_OA_APP_SECRET: z.string().min(1).optional(),
  ZALO_OA_SECRET_KEY: z.string().min(1).optional(),
  ZALO_OA_REFRESH_TOKEN: z.string().min(1).optional(),
  ZALO_OA_API_BASE: url('the Zalo OA API base').default('https://openapi.zalo.me'),
  ZALO_OA_OAUTH_BASE: url('the Zalo OAuth base').default('https://oauth.zaloapp.com'),
  ...rateSettings('ZALO_OA', 5, 20, 30),

  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a token like 123456:ABC-DEF from @BotFather').optional(),
  TELEGRAM_WEBHOOK_SECRET: webhookSecret.optional(),
  TELEGRAM_MODE: mode.default('webhook'),
  TELEGRAM_API_ROOT: url('the Telegram Bot API root').default('https://api.telegram.org'),
  ...rateSettings('TELEGRAM', 25, 20, 60),
});

/** Settings that only make sense together: each missing partner is reported under its own name. */
export const envSchema = baseEnvSchema.superRefine((env, ctx) => {
  const need = (when: boolean, name: keyof typeof env, why: string) => {
    if (when && env[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `required ${why}` });
  };
  need(Boolean(env.ZALO_BOT_TOKEN) && env.ZALO_BOT_MODE === 'webhook', 'ZALO_BOT_WEBHOOK_SECRET', 'when ZALO_BOT_TOKEN is set and ZALO_BOT_MODE is webhook');
  need(Boolean(env.TELEGRAM_BOT_TOKEN) && env.TELEGRAM_MODE === 'webhook', 'TELEGRAM_WEBHOOK_SECRET', 'when TELEGRAM_BOT_TOKEN is set and TELEGRAM_MODE is webhook');
  const oa = ['ZALO_OA_APP_ID', 'ZALO_OA_APP_SECRET', 'ZALO_OA_SECRET_KEY', 'ZALO_OA_REFRESH_TOKEN'] as const;
  if (oa.some((name) => env[name] !== undefined)) {
    for (const name of oa) need(true, name, `when any of ${oa.join(', ')} is set`);
  }
});

export type Env = z.infer<typeof envSchema>;

function toConfig(env: Env) {
  return {
    env: env.NODE_ENV,
    http: { host: env.HOST, port: env.PORT, trustedProxies: env.TRUSTED_PROXIES },
    /** Bearer token for GET /metrics; when unset, only this machine may read it. */
    metrics: { token: env.METRICS_TOKEN },
    log: { level: env.LOG_LEVEL },
    locale: { default: env.DEFAULT_LOCALE },
    redis: {
      url: env.REDIS_URL,
      prefix: env.REDIS_PREFIX,
      dataDir: resolve(env.REDIS_DATA_DIR),
      serverBin: env.REDIS_SERVER_BIN,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    /** How long a job held by a worker that died waits before another worker takes it over. */
    workerStallMs: env.WORKER_STALL_SECONDS * 1000,
    /** The ward's wall clock: schedules, quiet hours and calendar dates are read in it. */
    timeZone: env.TIME_ZONE,
    quietHours: { from: env.QUIET_HOURS.slice(0, 5), to: env.QUIET_HOURS.slice(6) },
    tips: {
      /** Finished tips (closed, spam, duplicate) lose their content this many days after closing. */
      retentionDays: env.TIP_RETENTION_DAYS,
      /** Where a notice of each new tip goes (id and category only). */
      policeChat: env.POLICE_CHAT,
    },
    /** Where a notice of each question waiting for ward staff goes (its id only). */
    staffChat: env.STAFF_CHAT,
    publicUrl: env.PUBLIC_URL?.replace(/\/$/, ''),
    secrets: { encryptionKeys: env.ENCRYPTION_KEYS, hmacSecret: env.HMAC_SECRET, file: resolve(env.SECRETS_FILE) },
    contentDir: env.CONTENT_DIR === undefined ? shippedContentDir : resolve(env.CONTENT_DIR),
    /** Local facts messages refer to; unset ones are worded neutrally instead of being invented. */
    ward: {
      name: env.WARD_NAME,
      nameEn: env.WARD_NAME_EN ?? env.WARD_NAME,
      policePhone: env.WARD_POLICE_PHONE,
      policeAddress: env.WARD_POLICE_ADDRESS,
      officeHours: env.WARD_OFFICE_HOURS,
    },
    channels: {
      sandbox: { enabled: env.SANDBOX_ENABLED ?? env.NODE_ENV !== 'production' },
      zalo: env.ZALO_BOT_TOKEN
        ? {
            token: env.ZALO_BOT_TOKEN,
            webhookSecret: env.ZALO_BOT_WEBHOOK_SECRET,
            mode: env.ZALO_BOT_MODE,
            apiBase: env.ZALO_BOT_API_BASE.replace(/\/$/, ''),
            rates: rates(env, 'ZALO_BOT'),
          }
        : undefined,
      zaloOa:
        env.ZALO_OA_APP_ID && env.ZALO_OA_APP_SECRET && env.ZALO_OA_SECRET_KEY && env.ZALO_OA_REFRESH_TOKEN
          ? {
              appId: env.ZALO_OA_APP_ID,
              appSecret: env.ZALO_OA_APP_SECRET,
              oaSecretKey: env.ZALO_OA_SECRET_KEY,
              refreshToken: env.ZALO_OA_REFRESH_TOKEN,
              apiBase: env.ZALO_OA_API_BASE.replace(/\/$/, ''),
              oauthBase: env.ZALO_OA_OAUTH_BASE.replace(/\/$/, ''),
              rates: rates(env, 'ZALO_OA'),
            }
          : undefined,
      telegram: env.TELEGRAM_BOT_TOKEN
        ? {
            token: env.TELEGRAM_BOT_TOKEN,
            webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
            mode: env.TELEGRAM_MODE,
            apiRoot: env.TELEGRAM_API_ROOT.replace(/\/$/, ''),
            rates: rates(env, 'TELEGRAM'),
          }
        : undefined,
    },
  };
}

function rates(env: Env, platform: 'ZALO_BOT' | 'ZALO_OA' | 'TELEGRAM') {
  return {
    messagesPerSecond: env[`${platform}_RATE_PER_SECOND`],
    groupMessagesPerMinute: env[`${platform}_GROUP_PER_MINUTE`],
    privateMessagesPerMinute: env[`${platform}_PRIVATE_PER_MINUTE`],
  };
}

export type Config = ReturnType<typeof toConfig>;

/** Names whose values may carry credentials; they are never echoed back in an error. */
const SECRET_NAME = /(_TOKEN|_SECRET|_KEY|_KEYS|_PASSWORD)$|^REDIS_URL$/;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

function describeProblem(issue: z.core.$ZodIssue, source: Record<string, string | undefined>): string {
  const name = String(issue.path[0] ?? '(environment)');
  const raw = source[name];
  const got = raw === undefined ? 'it is not set' : SECRET_NAME.test(name) ? 'the value given' : `got "${raw}"`;
  return `Invalid configuration: ${name} — ${issue.message} (${got}).`;
}

export interface LoadConfigOptions {
  /** Path of an optional dotenv file; values already in `env` win over the file. */
  envFile?: string;
}

/** Reads the configuration once; throws ConfigError with one line per wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): Config {
  const fromFile = options.envFile && existsSync(options.envFile) ? parseEnv(readFileSync(options.envFile, 'utf8')) : {};
  const source: Record<string, string | undefined> = { ...fromFile, ...env };
  // An empty value means "not set", so `PORT=` in a .env file falls back to the default.
  for (const [name, value] of Object.entries(source)) if (value === '') source[name] = undefined;
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => describeProblem(issue, source)));
  return toConfig(parsed.data);
}

/** The operator's language for CLI help, read before the rest of the configuration is checked. */
export function localeFromEnv(env: NodeJS.ProcessEnv): Locale {
  const parsed = localeSchema.safeParse(env.DEFAULT_LOCALE);
  return parsed.success ? parsed.data : 'vi';
}
