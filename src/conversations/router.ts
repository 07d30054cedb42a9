import type { InboundMessage } from '../channels/channel.js';
import type { MessageHandler } from '../channels/inbound/inbound-worker.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import type { Locale } from '../platform/config.js';
import type { TFunction, Translator } from '../platform/i18n.js';

/** Everything a handler needs to answer the person who wrote. */
export interface Conversation {
  message: InboundMessage;
  /** The ward's default language; handlers that can tell the person's language use `tFor`. */
  locale: Locale;
  t: TFunction;
  tFor(locale: Locale): TFunction;
  /** Answers in the same chat, ahead of any broadcast. Replies are numbered, so handling a message again sends nothing twice. */
  reply(text: string): Promise<void>;
}

export type CommandHandler = (conversation: Conversation, args: string) => Promise<void>;

/** `/dangky ABC`, `/dangky@LoaPhuongBot ABC`, `/DANGKY abc` → command `dangky`, args `ABC`. */
export function parseCommand(text: string | undefined): { name: string; args: string } | undefined {
  const match = text?.trim().match(/^\/([A-Za-z][\w]{0,31})(?:@[\w.]+)?(?:\s+([\s\S]*))?$/);
  return match ? { name: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() } : undefined;
}

export class MessageRouter {
  private readonly commands = new Map<string, CommandHandler>();
  private privateFallback: CommandHandler;

  constructor(
    private readonly outbox: Outbox,
    private readonly translator: Translator,
    private readonly locale: Locale,
  ) {
    const help: CommandHandler = (c) => c.reply(c.t('bot:help'));
    this.command(['start', 'help', 'trogiup'], help);
    this.privateFallback = (c) => c.reply(c.t('bot:notUnderstood'));
  }

  command(names: string | string[], handler: CommandHandler): this {
    for (const name of [names].flat()) this.commands.set(name, handler);
    return this;
  }

  /** What to do with plain text in a private chat (question answering, a conversation step…). */
  onPrivateText(handler: CommandHandler): this {
    this.privateFallback = handler;
    return this;
  }

  readonly handle: MessageHandler = async (message, ref) => {
    let replies = 0;
    const conversation: Conversation = {
      message,
      locale: this.locale,
      t: this.translator.t(this.locale),
      tFor: (locale) => this.translator.t(locale),
      reply: (text) =>
        this.outbox.send({
          id: `${ref}-r${++replies}`,
          platform: message.platform,
          chatId: message.chat.id,
          chatKind: message.chat.kind,
          lane: 'reply',
          message: { kind: 'text', text },
        }),
    };
    const command = parseCommand(message.text);
    if (command) {
      const handler = this.commands.get(command.name);
      if (handler) await handler(conversation, command.args);
      else if (message.chat.kind === 'private') await conversation.reply(conversation.t('bot:unknownCommand', { command: command.name }));
      return;
    }
    // In groups the bot speaks only when spoken to with a command: residents' chatter is not for it.
    if (message.chat.kind === 'private') await this.privateFallback(conversation, message.text ?? '');
  };
}
