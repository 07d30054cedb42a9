import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

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
export const envSchema = z.object({
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
});

export type Env = z.infer<typeof envSchema>;

function toConfig(env: Env) {
  return {
    env: env.NODE_ENV,
    http: { host: env.HOST, port: env.PORT },
    log: { level: env.LOG_LEVEL },
    locale: { default: env.DEFAULT_LOCALE },
    redis: {
      url: env.REDIS_URL,
      prefix: env.REDIS_PREFIX,
      dataDir: resolve(env.REDIS_DATA_DIR),
      serverBin: env.REDIS_SERVER_BIN,
    },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}

export type Config = ReturnType<typeof toConfig>;

/** Names whose values may carry credentials; they are never echoed back in an error. */
const SECRET_NAME = /(_TOKEN|_SECRET|_KEY|_PASSWORD)$|^REDIS_URL$/;

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
