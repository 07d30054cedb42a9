#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { localeFromEnv } from '../platform/config.js';
import { createTranslator } from '../platform/i18n.js';
import { packageRoot } from '../platform/paths.js';
import type { CliContext } from './context.js';
import { explain } from './errors.js';
import { registerBroadcastsCommands } from './broadcasts-commands.js';
import { registerChannelsCommands } from './channels-commands.js';
import { registerContentCommands } from './content-commands.js';
import { registerGroupsCommands } from './groups-commands.js';
import { registerQuestionsCommands } from './questions-commands.js';
import { registerReportCommands } from './report-commands.js';
import { registerServiceCommands } from './service-commands.js';
import { registerTipsCommands } from './tips-commands.js';
import { registerUsersCommands } from './users-commands.js';

const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };

async function main(argv: string[]): Promise<number> {
  const translator = await createTranslator(localeFromEnv(process.env));
  const ctx: CliContext = {
    t: translator.t(localeFromEnv(process.env)),
    env: process.env,
    cwd: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
  };
  const program = new Command('loaphuong')
    .description(ctx.t('cli:program.description'))
    .version(version, '-V, --version', ctx.t('cli:program.version'))
    .helpOption('-h, --help', ctx.t('cli:program.help'))
    .helpCommand('help [command]', ctx.t('cli:program.help'))
    .showHelpAfterError()
    .showSuggestionAfterError()
    .exitOverride();
  program.configureHelp({ showGlobalOptions: true });
  registerServiceCommands(program, ctx);
  registerUsersCommands(program, ctx);
  registerGroupsCommands(program, ctx);
  registerBroadcastsCommands(program, ctx);
  registerChannelsCommands(program, ctx);
  registerContentCommands(program, ctx);
  registerQuestionsCommands(program, ctx);
  registerTipsCommands(program, ctx);
  registerReportCommands(program, ctx);

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    // Commander has already printed usage errors and help; it only tells us how to exit.
    if (err instanceof CommanderError) return err.exitCode;
    const prefix = ctx.t('cli:errors.prefix');
    for (const line of explain(err, ctx.t)) process.stderr.write(`${prefix} ${line}\n`);
    return 1;
  }
}

const code = await main(process.argv);
// `serve` and `worker` keep running until a signal; one-shot commands end here.
if (code !== 0) process.exit(code);
