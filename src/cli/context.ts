import { join } from 'node:path';
import { loadConfig, type Config } from '../platform/config.js';
import type { TFunction } from '../platform/i18n.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { Datastore } from '../platform/redis/datastore.js';

/** What every command gets: the translator of the operator's language and the parsed configuration. */
export interface CliContext {
  t: TFunction;
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (line: string) => void;
}

export function configFor(ctx: CliContext): Config {
  return loadConfig(ctx.env, { envFile: join(ctx.cwd, '.env') });
}

/** Logs of one-shot commands go to stderr, so that stdout carries only the command's answer. */
export function cliLogger(config: Config): Logger {
  return createLogger(config.log.level === 'info' ? 'warn' : config.log.level, process.stderr);
}

/** Opens the datastore for a one-shot command (starting the managed Redis if needed) and always closes it. */
export async function withDatastore<T>(ctx: CliContext, run: (store: Datastore, config: Config) => Promise<T>): Promise<T> {
  const config = configFor(ctx);
  const store = await Datastore.open(config, cliLogger(config));
  try {
    return await run(store, config);
  } finally {
    await store.close();
  }
}

/** Who did it, for the audit trail of changes made from the command line. */
export function cliActor(env: NodeJS.ProcessEnv): string {
  return `cli:${env.USER ?? env.LOGNAME ?? 'unknown'}`;
}
