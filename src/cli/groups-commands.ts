import type { Command } from 'commander';
import { AuditLog } from '../audit/audit-log.js';
import { platformSchema } from '../channels/channel.js';
import { GroupRegistry } from '../groups/group-registry.js';
import { RegistrationCodes } from '../groups/registration-codes.js';
import { groupStatusSchema, type Group } from '../groups/schemas.js';
import { cliActor, withDatastore, type CliContext } from './context.js';
import { CliError } from './errors.js';
import { formatTable } from './table.js';

function parseTags(spec: string | undefined): string[] {
  return (spec ?? '').split(',').map((t) => t.trim()).filter(Boolean);
}

function withGroups<T>(ctx: CliContext, run: (groups: GroupRegistry, codes: RegistrationCodes) => Promise<T>): Promise<T> {
  return withDatastore(ctx, (store) => run(new GroupRegistry(store.redis, store.prefix, new AuditLog(store.redis, store.prefix)), new RegistrationCodes(store.redis, store.prefix)));
}

function describe(ctx: CliContext, group: Group): string {
  return ctx.t('cli:groups.changed', { id: group.id, name: group.name, status: ctx.t(`cli:groups.status.${group.status}`) });
}

export function registerGroupsCommands(program: Command, ctx: CliContext): void {
  const groups = program.command('groups').description(ctx.t('cli:groups.description'));

  groups
    .command('code')
    .description(ctx.t('cli:groups.code.description'))
    .requiredOption('-n, --name <name>', ctx.t('cli:groups.code.name'))
    .option('-t, --tags <tags>', ctx.t('cli:groups.code.tags'))
    .option('--hours <hours>', ctx.t('cli:groups.code.hours'), '72')
    .action((options: { name: string; tags?: string; hours: string }) =>
      withGroups(ctx, async (_groups, codes) => {
        const hours = Number(options.hours);
        if (!Number.isInteger(hours)) throw new CliError(ctx.t('cli:errors.invalidInput', { field: '--hours', problem: '1-720' }));
        const { code, expiresAt } = await codes.issue({ name: options.name, tags: parseTags(options.tags), ttlHours: hours });
        ctx.out(ctx.t('cli:groups.code.done', { code, name: options.name, expires: expiresAt.toISOString().slice(0, 16).replace('T', ' ') }));
      }),
    );

  groups
    .command('list')
    .description(ctx.t('cli:groups.list.description'))
    .option('-s, --status <status>', ctx.t('cli:groups.list.status'))
    .option('-t, --tag <tag>', ctx.t('cli:groups.list.tag'))
    .option('-p, --platform <platform>', ctx.t('cli:groups.list.platform'))
    .action((options: { status?: string; tag?: string; platform?: string }) =>
      withGroups(ctx, async (registry) => {
        const list = await registry.list({
          status: options.status === undefined ? undefined : groupStatusSchema.parse(options.status),
          platform: options.platform === undefined ? undefined : platformSchema.parse(options.platform),
          tag: options.tag,
        });
        if (list.length === 0) return ctx.out(ctx.t('cli:groups.list.empty'));
        const rows = list.map((g) => [g.id, g.name, g.platform, ctx.t(`cli:groups.status.${g.status}`) + (g.unreachable ? ` (${g.unreachable})` : ''), g.tags.join(',')]);
        for (const line of formatTable(ctx.t('cli:groups.list.header').split('|'), rows)) ctx.out(line);
      }),
    );

  const change = (name: 'approve' | 'pause' | 'resume' | 'remove') =>
    groups
      .command(name)
      .description(ctx.t(`cli:groups.${name}`))
      .argument('<id>', ctx.t('cli:groups.id'))
      .action((id: string) => withGroups(ctx, async (registry) => ctx.out(describe(ctx, await registry[name](id, cliActor(ctx.env))))));
  for (const name of ['approve', 'pause', 'resume', 'remove'] as const) change(name);

  groups
    .command('tag')
    .description(ctx.t('cli:groups.tag'))
    .argument('<id>', ctx.t('cli:groups.id'))
    .argument('<tags>', ctx.t('cli:groups.code.tags'))
    .action((id: string, tags: string) =>
      withGroups(ctx, async (registry) => ctx.out(describe(ctx, await registry.setTags(id, parseTags(tags), cliActor(ctx.env))))),
    );
}
