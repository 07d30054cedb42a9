import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AuditLog } from '../audit/audit-log.js';
import { loadLibrary } from '../content/load-library.js';
import type { ContentLibrary } from '../content/schemas.js';
import { loadKeyring } from '../platform/crypto/keyring.js';
import { SealedBox } from '../platform/crypto/sealed-box.js';
import { DomainError } from '../platform/domain-error.js';
import { createTranslator } from '../platform/i18n.js';
import { wallClock } from '../platform/time-zone.js';
import { campaignReport } from '../reports/campaign-report.js';
import { choosePeriod } from '../reports/period.js';
import { renderCsv, UTF8_BOM } from '../reports/render-csv.js';
import { renderHtml } from '../reports/render-html.js';
import { renderMarkdown } from '../reports/render-markdown.js';
import { reportOptionsSchema, type ReportOptions, type ReportPeriod } from '../reports/schemas.js';
import { reportSourcesOn } from '../reports/sources.js';
import { cliLogger, withDatastore, type CliContext } from './context.js';
import { CliError } from './errors.js';

function optionsFrom(flags: Record<string, unknown>): ReportOptions {
  const parsed = reportOptionsSchema.safeParse(flags);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'from')))];
  throw new DomainError('invalid', 'reports:cli.invalid', {}, fields.map((field) => ({ field: `--${field}`, key: `reports:cli.problems.${field}` })));
}

function periodFor(ctx: CliContext, options: ReportOptions, library: ContentLibrary, today: string): ReportPeriod {
  const campaigns = library.campaigns.map((c) => c.campaign);
  const choice = choosePeriod(options, campaigns, today);
  if (choice.ok) return choice.period;
  // The options schema already refuses half a period and days out of order, so what is left is an unknown campaign.
  throw new CliError(ctx.t('reports:cli.unknownCampaign', { id: options.campaign, known: campaigns.map((c) => c.id).join(', ') }));
}

/**
 * `loaphuong report`: the campaign report of a period as HTML, Markdown or CSV. HTML and Markdown go to `--out` as
 * one file. CSV is one file per table, written into the `--out` folder; without `--out` every table is printed,
 * each after a `# <file name>` line and followed by a blank line, without the byte-order mark the files carry.
 */
export function registerReportCommands(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  program
    .command('report')
    .description(t('reports:cli.description'))
    .option('--from <date>', t('reports:cli.from'))
    .option('--to <date>', t('reports:cli.to'))
    .option('--campaign <id>', t('reports:cli.campaign'))
    .option('--format <format>', t('reports:cli.format'))
    .option('--out <path>', t('reports:cli.out'))
    .option('--lang <lang>', t('reports:cli.lang'))
    .action(async (flags: Record<string, unknown>) => {
      const options = optionsFrom(flags);
      await withDatastore(ctx, async (store, config) => {
        const logger = cliLogger(config);
        const translator = await createTranslator(config.locale.default);
        const lang = options.lang ?? config.locale.default;
        const { library, problems } = await loadLibrary(config.contentDir, { t: translator.t(config.locale.default) });
        // Broken items are left out, as the service leaves them out; `loaphuong content check` says what to fix.
        if (problems.some((p) => p.severity === 'error')) logger.warn({ errors: problems.filter((p) => p.severity === 'error').length }, 'content library has errors');
        const audit = new AuditLog(store.redis, store.prefix);
        const sources = reportSourcesOn(store, { box: new SealedBox(loadKeyring(config.secrets, logger)), audit, library, config });
        const period = periodFor(ctx, options, library, wallClock(sources.now(), config.timeZone).date);
        const report = await campaignReport(sources, period, options.campaign);
        const tr = translator.t(lang);
        const written = (path: string) => ctx.out(t('reports:cli.written', { from: period.from, to: period.to, path }));

        if (options.format === 'csv') {
          const files = renderCsv(report, tr);
          if (options.out === undefined) {
            for (const file of files) ctx.out(`# ${file.name}\n${file.content.slice(UTF8_BOM.length)}`);
            return;
          }
          const dir = resolve(ctx.cwd, options.out);
          await mkdir(dir, { recursive: true });
          for (const file of files) {
            await writeFile(join(dir, file.name), file.content, 'utf8');
            written(join(dir, file.name));
          }
          return;
        }
        const document = options.format === 'html' ? renderHtml(report, tr, lang) : renderMarkdown(report, tr, lang);
        if (options.out === undefined) return ctx.out(document.replace(/\n$/, ''));
        const path = resolve(ctx.cwd, options.out);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, document, 'utf8');
        written(path);
      });
    });
}
