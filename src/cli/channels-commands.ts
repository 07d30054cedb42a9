import type { Command } from 'commander';
import { TELEGRAM_MAX_TEXT, TelegramChannel } from '../channels/telegram/adapter.js';
import { ZaloBotApiClient } from '../channels/zalo-bot/api-client.js';
import { configFor, type CliContext } from './context.js';
import { CliError } from './errors.js';

/**
 * Operator commands that talk to the platforms directly: check the bot accounts and point their webhooks at
 * PUBLIC_URL. (Zalo OA webhooks are set in the Zalo developer console, not through the API.)
 */
export function registerChannelsCommands(program: Command, ctx: CliContext): void {
  const channels = program.command('channels').description(ctx.t('cli:channels.description'));

  channels
    .command('check')
    .description(ctx.t('cli:channels.check.description'))
    .action(async () => {
      const { zalo, telegram } = configFor(ctx).channels;
      if (!zalo && !telegram) throw new CliError(ctx.t('cli:channels.none'));
      if (zalo) {
        const me = await new ZaloBotApiClient({ token: zalo.token, baseUrl: zalo.apiBase }).getMe();
        ctx.out(ctx.t('cli:channels.check.zalo', { name: me.account_name ?? me.id, groups: String(me.can_join_groups) }));
      }
      if (telegram) {
        const me = await telegramChannel(telegram).getMe();
        ctx.out(ctx.t('cli:channels.check.telegram', { name: me.username, groups: String(me.canJoinGroups) }));
      }
    });

  channels
    .command('set-webhooks')
    .description(ctx.t('cli:channels.webhooks.description'))
    .action(async () => {
      const config = configFor(ctx);
      const { zalo, telegram } = config.channels;
      if (!config.publicUrl) throw new CliError(ctx.t('cli:channels.webhooks.noPublicUrl'));
      if (zalo?.mode === 'webhook' && zalo.webhookSecret) {
        const url = `${config.publicUrl}/webhooks/zalo`;
        await new ZaloBotApiClient({ token: zalo.token, baseUrl: zalo.apiBase }).setWebhook(url, zalo.webhookSecret);
        ctx.out(ctx.t('cli:channels.webhooks.set', { platform: 'Zalo', url }));
      }
      if (telegram?.mode === 'webhook' && telegram.webhookSecret) {
        const url = `${config.publicUrl}/webhooks/telegram`;
        await telegramChannel(telegram).setWebhook(url, telegram.webhookSecret);
        ctx.out(ctx.t('cli:channels.webhooks.set', { platform: 'Telegram', url }));
      }
    });
}

function telegramChannel(telegram: { token: string; apiRoot: string; rates: { messagesPerSecond: number; groupMessagesPerMinute: number; privateMessagesPerMinute: number } }): TelegramChannel {
  return new TelegramChannel({ token: telegram.token, apiRoot: telegram.apiRoot, limits: { maxTextLength: TELEGRAM_MAX_TEXT, ...telegram.rates } });
}
