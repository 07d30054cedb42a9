import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadLibrary } from '../content/load-library.js';
import { configFor, type CliContext } from './context.js';
import { CliError } from './errors.js';

export function registerContentCommands(program: Command, ctx: CliContext): void {
  const content = program.command('content').description(ctx.t('content:description'));

  content
    .command('check')
    .description(ctx.t('content:check.description'))
    .option('-d, --dir <path>', ctx.t('content:check.dir'))
    .option('--strict', ctx.t('content:check.strict'))
    .action(async (options: { dir?: string; strict?: boolean }) => {
      // Without --dir, the library the service would serve (CONTENT_DIR, else the shipped one).
      const dir = options.dir === undefined ? configFor(ctx).contentDir : resolve(ctx.cwd, options.dir);
      const { library, problems } = await loadLibrary(dir, { t: ctx.t });
      // "file:line: error: …", the shape editors and CI annotators already understand.
      for (const p of problems) ctx.out(`${p.file}:${p.line}: ${p.severity}: ${p.message}`);

      const errors = problems.filter((p) => p.severity === 'error').length;
      const warnings = problems.length - errors;
      const summary = ctx.t('content:check.summary', {
        campaigns: library.campaigns.length,
        messages: library.campaigns.reduce((sum, c) => sum + c.messages.length, 0),
        qa: library.qa.length,
        errors,
        warnings,
      });
      if (errors > 0 || (options.strict && warnings > 0)) throw new CliError(summary);
      ctx.out(summary);
    });
}
