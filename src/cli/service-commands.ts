import type { Command } from 'commander';
import { createLogger } from '../platform/logger.js';
import type { ServiceMode } from '../service.js';
import { configFor, type CliContext } from './context.js';

async function run(ctx: CliContext, mode: ServiceMode, port?: string): Promise<void> {
  const config = configFor({ ...ctx, env: port === undefined ? ctx.env : { ...ctx.env, PORT: port } });
  const logger = createLogger(config.log.level);
  // Loaded here rather than at the top: the service is most of the code, and every other command would pay for it.
  const { startService } = await import('../service.js');
  const service = await startService(config, logger, mode);
  service.lifecycle.handleSignals(config.shutdownTimeoutMs);
}

export function registerServiceCommands(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description(ctx.t('cli:serve.description'))
    .option('-p, --port <port>', ctx.t('cli:serve.port'))
    .option('--no-workers', ctx.t('cli:serve.noWorkers'))
    .action((options: { port?: string; workers: boolean }) => run(ctx, options.workers ? 'serve' : 'web', options.port));

  program
    .command('worker')
    .description(ctx.t('cli:worker.description'))
    .action(() => run(ctx, 'worker'));
}
