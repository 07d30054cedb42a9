import type { Command } from 'commander';
import { importCalendar } from '../broadcasts/calendar-import.js';
import { scheduleStatusSchema, SCHEDULE_STATUSES, type Schedule, type ScheduleStatus } from '../broadcasts/schemas.js';
import { parseWhen } from '../broadcasts/when.js';
import { newScheduleFrom, targetFrom, targetOptions, type CreateFlags, type TargetFlags } from './broadcast-options.js';
import { deliveryTable, dryRunLines, nextTimes, occurrenceTable, previewLines, scheduleLines, targetSummary, timingSummary } from './broadcast-report.js';
import { withBroadcasts } from './broadcast-session.js';
import type { CliContext } from './context.js';
import { CliError, describeProblem, explain } from './errors.js';
import { formatTable } from './table.js';

interface As {
  as?: string;
}

function statusFrom(ctx: CliContext, value: string): ScheduleStatus {
  const status = scheduleStatusSchema.safeParse(value);
  if (!status.success) throw new CliError(ctx.t('cli:errors.invalidInput', { field: '--status', problem: SCHEDULE_STATUSES.join(', ') }));
  return status.data;
}

function changed(ctx: CliContext, schedule: Schedule): string {
  return ctx.t('cli:broadcasts.changed', { id: schedule.id, status: ctx.t(`broadcasts:status.${schedule.status}`) });
}

/**
 * `loaphuong broadcasts …`: the same broadcasts module the service runs, on the same Redis, so a draft made here is
 * what the worker fires once approved. Every command may act as a named account with `--as`.
 */
export function registerBroadcastsCommands(program: Command, ctx: CliContext): void {
  const { t } = ctx;
  const group = program.command('broadcasts').description(t('cli:broadcasts.description'));
  const command = (name: string, key: string) =>
    group.command(name).description(t(`cli:broadcasts.${key}.description`)).option('--as <username>', t('cli:broadcasts.as'));

  const create = command('create', 'create')
    .requiredOption('--title <title>', t('cli:broadcasts.create.title'))
    .option('--at <when>', t('cli:broadcasts.create.at'))
    .option('--cron <pattern>', t('cli:broadcasts.create.cron'))
    .option('--from <when>', t('cli:broadcasts.create.from'))
    .option('--until <when>', t('cli:broadcasts.create.until'))
    .option('--message <id>', t('cli:broadcasts.create.message'))
    .option('--campaign <id>', t('cli:broadcasts.create.campaign'))
    .option('--rotation <campaign:topic>', t('cli:broadcasts.create.rotation'))
    .option('--text <text>', t('cli:broadcasts.create.text'))
    .option('--text-en <text>', t('cli:broadcasts.create.textEn'));
  targetOptions(create, t)
    .option('--urgent', t('cli:broadcasts.create.urgent'))
    .action((flags: CreateFlags & As) =>
      withBroadcasts(ctx, flags.as, async ({ broadcasts, actor, config }) => {
        // A fresh random id is never taken, so a schedule always comes back.
        const schedule = (await broadcasts.create(newScheduleFrom(flags, broadcasts.deps.content, t), actor))!;
        const { next } = await broadcasts.status(schedule.id, actor);
        ctx.out(t('cli:broadcasts.create.done', { id: schedule.id, status: t(`broadcasts:status.${schedule.status}`) }));
        ctx.out(t('cli:broadcasts.next', { times: nextTimes(t, next, config.timeZone) }));
      }),
    );

  command('list', 'list')
    .option('--status <status>', t('cli:broadcasts.list.status'))
    .action(async (flags: { status?: string } & As) => {
      const status = flags.status === undefined ? undefined : statusFrom(ctx, flags.status);
      await withBroadcasts(ctx, flags.as, async ({ broadcasts, actor, config }) => {
        const all = await broadcasts.list(actor, status);
        if (all.length === 0) return ctx.out(t('cli:broadcasts.list.empty'));
        const rows = all.map((s) => [s.id, t(`broadcasts:status.${s.status}`), timingSummary(t, s.timing, config.timeZone), targetSummary(t, s.target, true), s.title]);
        for (const line of formatTable(t('cli:broadcasts.list.header').split('|'), rows)) ctx.out(line);
      });
    });

  command('show', 'show')
    .argument('<id>', t('cli:broadcasts.id'))
    .action((id: string, flags: As) =>
      withBroadcasts(ctx, flags.as, async ({ broadcasts, actor, config }) => {
        const { schedule, next } = await broadcasts.status(id, actor);
        for (const line of scheduleLines(t, schedule, next, config.timeZone)) ctx.out(line);
        ctx.out('');
        ctx.out(t('cli:broadcasts.show.preview'));
        for (const line of previewLines(t, await broadcasts.preview(id, actor))) ctx.out(line);
      }),
    );

  command('preview', 'preview')
    .argument('<id>', t('cli:broadcasts.id'))
    .action((id: string, flags: As) =>
      withBroadcasts(ctx, flags.as, async ({ broadcasts, actor }) => {
        for (const line of previewLines(t, await broadcasts.preview(id, actor))) ctx.out(line);
      }),
    );

  command('dry-run', 'dryRun')
    .argument('<id>', t('cli:broadcasts.id'))
    .option('--at <when>', t('cli:broadcasts.dryRun.at'))
    .action((id: string, flags: { at?: string } & As) =>
      withBroadcasts(ctx, flags.as, async ({ broadcasts, actor, config }) => {
        const at = flags.at === undefined ? undefined : parseWhen(flags.at, config.timeZone);
        if (flags.at !== undefined && !at) throw new CliError(t('broadcasts:problems.badTime', { value: flags.at }));
        for (const line of dryRunLines(t, await broadcasts.dryRun(id, actor, at), config.timeZone)) ctx.out(line);
      }),
    );

  group
    .command('approve')
    .description(t('cli:broadcasts.approve.description'))
    .argument('[ids...]', t('cli:broadcasts.approve.ids'))
    .option('--origin <origin>', t('cli:broadcasts.approve.origin'))
    .requiredOption('--as <username>', t('cli:broadcasts.approve.as'))
    .action(async (ids: string[], flags: { origin?: string; as: string }) => {
      if ((ids.length > 0) === (flags.origin !== undefined)) throw new CliError(t('cli:broadcasts.approve.oneSource'));
      await withBroadcasts(ctx, flags.as, async ({ broadcasts, actor }) => {
        const chosen =
          flags.origin === undefined
            ? ids
            : (await broadcasts.list(actor, 'draft')).filter((s) => s.origin === flags.origin).map((s) => s.id).sort();
        if (chosen.length === 0) throw new CliError(t('cli:broadcasts.approve.noDrafts', { origin: flags.origin }));
        // One refusal does not hold up the rest: each gets its own line, and the exit status says if any failed.
        let failed = 0;
        for (const id of chosen) {
          try {
            ctx.out(changed(ctx, await broadcasts.approve(id, actor)));
          } catch (err) {
            failed += 1;
            ctx.out(`${id}: ${explain(err, t).join(' ')}`);
          }
        }
        if (failed > 0) throw new CliError(t('cli:broadcasts.approve.failed', { failed, total: chosen.length }));
      });
    });

  for (const name of ['pause', 'resume', 'cancel'] as const) {
    command(name, name)
      .argument('<id>', t('cli:broadcasts.id'))
      .action((id: string, flags: As) => withBroadcasts(ctx, flags.as, async ({ broadcasts, actor }) => ctx.out(changed(ctx, await broadcasts[name](id, actor)))));
  }

  command('status', 'status')
    .argument('<id>', t('cli:broadcasts.id'))
    .option('--occurrence <occurrenceId>', t('cli:broadcasts.status.occurrenceOption'))
    .action((id: string, flags: { occurrence?: string } & As) =>
      withBroadcasts(ctx, flags.as, async ({ broadcasts, actor, config }) => {
        if (flags.occurrence !== undefined) {
          const occurrences = await broadcasts.occurrences(id, actor);
          if (!occurrences.some((o) => o.id === flags.occurrence)) throw new CliError(t('broadcasts:errors.occurrenceNotFound', { id: flags.occurrence }));
          for (const line of deliveryTable(t, await broadcasts.deliveries(flags.occurrence, actor))) ctx.out(line);
          return;
        }
        const { schedule, next, occurrences } = await broadcasts.status(id, actor);
        ctx.out(t('cli:broadcasts.status.summary', { id: schedule.id, status: t(`broadcasts:status.${schedule.status}`), title: schedule.title }));
        ctx.out(t('cli:broadcasts.next', { times: nextTimes(t, next, config.timeZone) }));
        for (const line of occurrenceTable(t, occurrences, config.timeZone)) ctx.out(line);
      }),
    );

  command('retry', 'retry')
    .argument('<occurrenceId>', t('cli:broadcasts.retry.occurrence'))
    .option('--group <groupId>', t('cli:broadcasts.retry.group'))
    .action((occurrenceId: string, flags: { group?: string } & As) =>
      withBroadcasts(ctx, flags.as, async ({ broadcasts, actor }) => {
        ctx.out(t('cli:broadcasts.retry.done', { n: await broadcasts.retry(occurrenceId, actor, flags.group) }));
      }),
    );

  targetOptions(command('import-calendar', 'import').argument('<campaignId>', t('cli:broadcasts.import.campaign')), t).action(
    async (campaignId: string, flags: TargetFlags & As) => {
      const target = targetFrom(flags, t);
      await withBroadcasts(ctx, flags.as, async ({ broadcasts, actor, config }) => {
        const result = await importCalendar(broadcasts, campaignId, target, actor);
        ctx.out(t('cli:broadcasts.import.created', { n: result.created.length }));
        for (const s of result.created) ctx.out(`  ${s.id}  ${timingSummary(t, s.timing, config.timeZone)}`);
        ctx.out(t('cli:broadcasts.import.existing', { n: result.existing.length }));
        ctx.out(t('cli:broadcasts.import.past', { n: result.past }));
        ctx.out(t('cli:broadcasts.import.rejected', { n: result.rejected.length }));
        for (const { id, problems } of result.rejected) {
          ctx.out(`  ${id}`);
          for (const problem of problems) ctx.out(`    ${describeProblem(problem, t)}`);
        }
        const origin = result.created[0]?.origin;
        if (origin) ctx.out(t('cli:broadcasts.import.approveHint', { origin }));
        if (result.rejected.length > 0) throw new CliError(t('cli:broadcasts.import.someRejected', { n: result.rejected.length }));
      });
    },
  );
}
