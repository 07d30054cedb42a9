import type { Redis } from 'ioredis';
import { guessLanguage } from '../../content/qa/normalise.js';
import type { CommandHandler, Conversation } from '../../conversations/router.js';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { DomainError } from '../../platform/domain-error.js';
import type { TFunction } from '../../platform/i18n.js';
import { wallClock } from '../../platform/time-zone.js';
import { canonicalReceiptCode, splitCodeAndText } from '../receipt-code.js';
import type { Requester, TipsterView } from '../schemas.js';
import type { Tips } from '../tips.js';
import { ConversationStore } from './conversation-store.js';
import { fetchTipPhoto } from './photo-download.js';
import { hasWords, isTipRequest } from './tip-answers.js';
import { chatOf, explain, formatCode, TipConversation } from './tip-conversation.js';

export interface TipChatDeps {
  tips: Tips;
  redis: Redis;
  prefix: string;
  box: SealedBox;
  timeZone: string;
  /** The web form, for people told in a group how to report privately. */
  formUrl: string;
  fetchPhoto?: (url: string) => Promise<Buffer>;
  /** How long a draft waits for an answer; half an hour unless a test says otherwise. */
  draftTtlMs?: number;
}

export interface TipChat {
  /** `/togiac`: starts a tip in a private chat; in a group, says how to report privately. */
  start: CommandHandler;
  /** `/huy`: cancels the tip being written. */
  cancel: CommandHandler;
  /** `/ma <code> [text]`: the tip's status and thread, or adds the text to it. */
  code: CommandHandler;
  /** Private text goes to the tip being written, else a tip keyword starts one, else to `otherwise`. */
  before(otherwise: CommandHandler): CommandHandler;
}

/** Thread entries shown by `/ma`: the latest ones, enough to follow the conversation in one message. */
const THREAD_SHOWN = 10;

/** The commands and private-text handling of anonymous tip-offs in chats. */
export function tipChat(deps: TipChatDeps): TipChat {
  const conversation = new TipConversation({
    store: new ConversationStore(deps.redis, deps.prefix, deps.box, deps.draftTtlMs),
    tips: deps.tips,
    fetchPhoto: deps.fetchPhoto ?? ((url) => fetchTipPhoto(url)),
    formUrl: deps.formUrl,
  });
  // What was written in a group is never repeated nor kept: the reply is the same whatever it said.
  const inGroup = (c: Conversation) => c.message.chat.kind === 'group';
  const groupGuard = (c: Conversation) => c.reply(c.t('tipchat:group', { url: deps.formUrl }));

  return {
    start: async (c, args) => {
      if (inGroup(c)) return groupGuard(c);
      const known = hasWords(args);
      await conversation.start(c, known ? guessLanguage(args) : c.locale, known);
    },

    cancel: async (c) => {
      if (inGroup(c)) return c.reply(c.t('tipchat:nothingToCancel'));
      await conversation.cancel(c);
    },

    code: async (c, args) => {
      if (inGroup(c)) return groupGuard(c);
      if (!args) return c.reply(c.t('tipchat:code.usage'));
      const { code, rest } = splitCodeAndText(args);
      const t = c.tFor(code && hasWords(rest) ? guessLanguage(rest) : c.locale);
      const requester: Requester = { kind: 'chat', ...chatOf(c) };
      try {
        if (code && rest) {
          await deps.tips.addFromTipster(code, rest, requester);
          return await c.reply(t('tipchat:code.added', { code: formatCode(code) }));
        }
        // A wrong code is still asked about, so that guessing is counted and limited like any wrong code.
        const typed = code ?? args;
        const view = await deps.tips.view(typed, requester);
        return await c.reply(describe(view, formatCode(canonicalReceiptCode(typed) ?? typed), t, deps.timeZone));
      } catch (err) {
        if (err instanceof DomainError) return c.reply(explain(err, t));
        throw err;
      }
    },

    before: (otherwise) => async (c, text) => {
      if (await conversation.continue(c, text)) return;
      if (c.message.kind === 'text' && isTipRequest(text)) return conversation.start(c, guessLanguage(text), true);
      return otherwise(c, text);
    },
  };
}

/** Where a tip stands and what was said about it, for its tipster. */
function describe(view: TipsterView, code: string, t: TFunction, timeZone: string): string {
  const when = (at: string) => {
    const clock = wallClock(new Date(at), timeZone);
    return `${clock.date} ${clock.time}`;
  };
  const status = t('tipchat:code.status', { category: t(`tips:category.${view.category}`), date: when(view.createdAt), status: t(`tips:status.${view.status}`) });
  const shown = view.thread.slice(-THREAD_SHOWN);
  const earlier = view.thread.length - shown.length;
  const thread =
    shown.length === 0
      ? t('tipchat:code.noReplies')
      : [
          t('tipchat:code.thread'),
          ...(earlier > 0 ? [t('tipchat:code.earlier', { count: earlier })] : []),
          ...shown.map((entry) => t(entry.from === 'police' ? 'tipchat:code.fromPolice' : 'tipchat:code.fromTipster', { at: when(entry.at), text: entry.text })),
        ].join('\n\n');
  return [status, thread, t('tipchat:code.howToAnswer', { code })].join('\n\n');
}
