import type { Command } from 'commander';
import { AuditLog } from '../audit/audit-log.js';
import { Outbox } from '../channels/outbound/outbox.js';
import { loadKeyring } from '../platform/crypto/keyring.js';
import { SealedBox } from '../platform/crypto/sealed-box.js';
import { createTranslator } from '../platform/i18n.js';
import { assembleTips } from '../tips/assemble.js';
import { cliLogger, withDatastore, type CliContext } from './context.js';
import { CliError } from './errors.js';

export function registerTipsCommands(program: Command, ctx: CliContext): void {
  const tips = program.command('tips').description(ctx.t('cli:tips.description'));

  tips
    .command('purge')
    .description(ctx.t('cli:tips.purge.description'))
    .option('--days <days>', ctx.t('cli:tips.purge.days'))
    .action((options: { days?: string }) =>
      withDatastore(ctx, async (store, config) => {
        const days = options.days === undefined ? config.tips.retentionDays : Number(options.days);
        if (!Number.isInteger(days) || days < 1) throw new CliError(ctx.t('cli:errors.invalidInput', { field: '--days', problem: ctx.t('cli:tips.purge.badDays') }));
        const box = new SealedBox(loadKeyring(config.secrets, cliLogger(config)));
        // The outbox is needed to forget the replies and notices sent for a purged tip.
        const outbox = new Outbox(store.redis, store.prefix, box, store.connect('worker'));
        const module = assembleTips({ datastore: store, box, audit: new AuditLog(store.redis, store.prefix), outbox, translator: await createTranslator(config.locale.default) });
        try {
          ctx.out(ctx.t('cli:tips.purge.done', { n: await module.purgeFinished(days), days }));
        } finally {
          await module.close();
          await outbox.close();
        }
      }),
    );
}
