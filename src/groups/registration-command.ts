import type { ChatStatusStore } from '../channels/outbound/chat-status.js';
import type { CommandHandler } from '../conversations/router.js';
import type { GroupRegistry } from './group-registry.js';
import type { RegistrationCodes } from './registration-codes.js';

/** `/dangky <code>` sent in a group by its admin. */
export function registrationCommand(codes: RegistrationCodes, registry: GroupRegistry, chatStatus: ChatStatusStore): CommandHandler {
  return async (c, args) => {
    const { message, t } = c;
    if (message.chat.kind !== 'group') return c.reply(t('bot:register.onlyInGroups'));
    if (!args) return c.reply(t('bot:register.usage'));
    const existing = await registry.findByChat(message.platform, message.chat.id);
    if (existing && existing.status !== 'removed') {
      return c.reply(t(`bot:register.already.${existing.status}`, { name: existing.name }));
    }
    const pending = await codes.redeem(args);
    if (!pending) return c.reply(t('bot:register.badCode'));
    const group = await registry.register(
      { platform: message.platform, chatId: message.chat.id, name: pending.name, tags: pending.tags },
      `chat:${message.platform}`,
    );
    // A group that once removed the bot and added it back can be reached again.
    await chatStatus.markReachable(message.platform, message.chat.id);
    return c.reply(t('bot:register.done', { name: group.name }));
  };
}
