import { guessLanguage } from '../../content/qa/normalise.js';
import type { Conversation } from '../../conversations/router.js';
import type { Locale } from '../../platform/config.js';
import { DomainError } from '../../platform/domain-error.js';
import type { TFunction } from '../../platform/i18n.js';
import { TIP_CATEGORIES, TIP_LIMITS } from '../schemas.js';
import type { Tips } from '../tips.js';
import type { ChatRef, ConversationStore, TipDraft, TipStep } from './conversation-store.js';
import { hasWords, isSkip, readCategory, readYesNo } from './tip-answers.js';

export interface TipConversationDeps {
  store: ConversationStore;
  tips: Pick<Tips, 'submit'>;
  /** Downloads a photo the platform gave a URL for and strips its metadata; throws DomainError when it cannot. */
  fetchPhoto: (url: string) => Promise<Buffer>;
  /** The web form, offered at the start as the route that not even the chat platform can trace. */
  formUrl: string;
}

/** What one message does to a draft: the one reply it gets, and the draft to keep (or none). */
interface Turn {
  say: string;
  next: TipDraft | 'end';
}

/** Steps a refused submission can send the person back to, by the field the problem names. */
const FIELD_STEPS: Readonly<Record<string, TipStep>> = { category: 'category', where: 'where', when: 'when', what: 'what', photos: 'photo' };

const paragraphs = (...parts: string[]) => parts.filter(Boolean).join('\n\n');

export const chatOf = (c: Conversation): ChatRef => ({ platform: c.message.platform, chatId: c.message.chat.id });

/** A DomainError in the person's words: the complaint, then each problem on its own line. */
export function explain(err: DomainError, t: TFunction): string {
  return [t(err.key, err.params), ...err.problems.map((p) => `- ${t(p.key, p.params)}`)].join('\n');
}

export function formatCode(code: string): string {
  return code.replace(/-/g, '').match(/.{1,4}/g)!.join('-');
}

/**
 * The tip-off conversation in a private chat: kind of activity, where, when, what was seen, photos, then a summary
 * to confirm. Each message gets exactly one reply, sent before the draft is saved: a message handled again after a
 * crash repeats the same reply (which the outbox sends once) and lands on the same draft.
 */
export class TipConversation {
  constructor(private readonly deps: TipConversationDeps) {}

  async start(c: Conversation, locale: Locale, languageKnown: boolean): Promise<void> {
    const { store } = this.deps;
    const chat = chatOf(c);
    await store.withLock(chat, async () => {
      const open = await store.get(chat);
      if (open?.step === 'sent') {
        // The tip went in but its receipt was never confirmed as said: say it now rather than lose it.
        await c.reply(this.receipt(c.tFor(open.locale), open.code!));
        await store.clear(chat);
        return;
      }
      if (open) {
        const t = c.tFor(open.locale);
        await c.reply(paragraphs(t('tipchat:start.already'), this.prompt(open, t)));
        await store.save(chat, open);
        return;
      }
      const draft: TipDraft = { step: 'category', locale, languageKnown, photos: 0 };
      const t = c.tFor(locale);
      await store.dropPhotos(chat);
      await c.reply(paragraphs(t('tipchat:start.intro', { minutes: this.minutes, url: this.deps.formUrl }), this.prompt(draft, t)));
      await store.save(chat, draft);
    });
  }

  /** `/huy`: drops the draft, whatever step it is at. */
  async cancel(c: Conversation): Promise<void> {
    const { store } = this.deps;
    const chat = chatOf(c);
    await store.withLock(chat, async () => {
      const draft = await store.get(chat);
      if (draft?.step === 'sent') {
        await c.reply(this.receipt(c.tFor(draft.locale), draft.code!));
      } else {
        await c.reply(c.tFor(draft?.locale ?? c.locale)(draft ? 'tipchat:cancelled' : 'tipchat:nothingToCancel'));
      }
      await store.clear(chat);
    });
  }

  /**
   * Takes a private message if this chat has a tip being written (or one that just timed out); false when it has
   * not, so the message is for someone else to answer.
   */
  async continue(c: Conversation, text: string): Promise<boolean> {
    const { store } = this.deps;
    const chat = chatOf(c);
    if (!(await store.recentLocale(chat))) return false;
    return store.withLock(chat, async () => {
      const draft = await store.get(chat);
      if (!draft) {
        const locale = await store.recentLocale(chat);
        if (!locale) return false;
        await c.reply(c.tFor(locale)('tipchat:expired', { minutes: this.minutes }));
        await store.clear(chat);
        return true;
      }
      const turn = await this.turn(c, chat, draft, text);
      await c.reply(turn.say);
      if (turn.next === 'end') await store.clear(chat);
      else await store.save(chat, turn.next);
      return true;
    });
  }

  private get minutes(): number {
    return Math.round(this.deps.store.ttlMs / 60_000);
  }

  private async turn(c: Conversation, chat: ChatRef, draft: TipDraft, text: string): Promise<Turn> {
    const answer = text.trim();
    const t = c.tFor(draft.locale);
    if (draft.step === 'sent') return { say: this.receipt(t, draft.code!), next: 'end' };
    if (draft.step === 'photo') return this.photoTurn(c, chat, draft, t, answer);
    if (c.message.kind !== 'text') return this.again(draft, t, t('tipchat:invalid.notText'));
    if (!answer) return this.again(draft, t, t('tipchat:invalid.empty'));
    if (answer.length > TIP_LIMITS.message) return this.again(draft, t, t('tipchat:invalid.tooLong', { max: TIP_LIMITS.message }));

    switch (draft.step) {
      case 'category': {
        const category = readCategory(answer);
        return category ? this.advance(c, { ...draft, category }, answer) : this.again(draft, t, t('tipchat:invalid.category'));
      }
      case 'where':
      case 'when': {
        const max = TIP_LIMITS[draft.step];
        if (answer.length > max) return this.again(draft, t, t('tipchat:invalid.tooLong', { max }));
        return this.advance(c, { ...draft, [draft.step]: isSkip(answer) ? '' : answer }, answer);
      }
      case 'what':
        if (answer.length < TIP_LIMITS.what.min) return this.again(draft, t, t('tipchat:invalid.tooShort', { min: TIP_LIMITS.what.min }));
        return this.advance(c, { ...draft, what: answer }, answer);
      case 'confirm': {
        const choice = readYesNo(answer);
        if (choice === 'yes') return this.submit(chat, draft, t);
        if (choice === 'no') return { say: t('tipchat:cancelled'), next: 'end' };
        return { say: t('tipchat:invalid.confirm'), next: draft };
      }
    }
  }

  private async photoTurn(c: Conversation, chat: ChatRef, draft: TipDraft, t: TFunction, answer: string): Promise<Turn> {
    const { message } = c;
    if (message.kind === 'text' && (isSkip(answer) || answer === '')) return this.goTo({ ...draft, step: 'confirm' }, t);
    if (message.kind !== 'photo') return this.again(draft, t, t('tipchat:invalid.photoStep'));
    if (!message.photoUrl) return this.goTo({ ...draft, step: 'confirm' }, t, t('tipchat:photo.unsupported'));
    try {
      await this.deps.store.putPhoto(chat, draft.photos, await this.deps.fetchPhoto(message.photoUrl));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return { say: paragraphs(explain(err, t), t('tipchat:photo.retry')), next: draft };
    }
    const photos = draft.photos + 1;
    if (photos >= TIP_LIMITS.photos) return this.goTo({ ...draft, photos, step: 'confirm' }, t, t('tipchat:photo.received', { count: photos, max: TIP_LIMITS.photos }));
    return { say: t('tipchat:photo.more', { count: photos, max: TIP_LIMITS.photos }), next: { ...draft, photos } };
  }

  private async submit(chat: ChatRef, draft: TipDraft, t: TFunction): Promise<Turn> {
    const { store, tips } = this.deps;
    const content = { category: draft.category, where: draft.where ?? '', when: draft.when ?? '', what: draft.what ?? '' };
    try {
      const { code } = await tips.submit(content, { kind: 'chat', ...chat, locale: draft.locale }, await store.photos(chat, draft.photos));
      // Kept until the receipt is said, so that handling this message again after a crash says it rather than
      // sending the tip twice.
      await store.save(chat, { ...draft, step: 'sent', code });
      return { say: this.receipt(t, code), next: 'end' };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.kind === 'rate-limited') return { say: paragraphs(t(err.key, err.params), t('tipchat:retry')), next: draft };
      if (err.kind !== 'invalid') return { say: t(err.key, err.params), next: 'end' };
      const step = FIELD_STEPS[err.problems[0]?.field ?? ''] ?? 'category';
      if (step === 'photo') await store.dropPhotos(chat);
      const back: TipDraft = { ...draft, step, ...(step === 'photo' ? { photos: 0 } : {}) };
      return { say: paragraphs(explain(err, t), this.prompt(back, t)), next: back };
    }
  }

  private receipt(t: TFunction, code: string): string {
    return t('tipchat:sent', { code: formatCode(code) });
  }

  private again(draft: TipDraft, t: TFunction, why: string): Turn {
    return { say: paragraphs(why, this.prompt(draft, t)), next: draft };
  }

  /**
   * Moves on after an accepted answer. A conversation started without words to tell the language by (a bare
   * `/togiac`) takes it from the first answer that has some.
   */
  private advance(c: Conversation, answered: TipDraft, answer: string): Turn {
    const order: TipStep[] = ['category', 'where', 'when', 'what', 'photo', 'confirm'];
    const learnt = answered.languageKnown || !hasWords(answer) ? answered : { ...answered, locale: guessLanguage(answer), languageKnown: true };
    return this.goTo({ ...learnt, step: order[order.indexOf(answered.step) + 1]! }, c.tFor(learnt.locale));
  }

  private goTo(draft: TipDraft, t: TFunction, before = ''): Turn {
    return { say: paragraphs(before, this.prompt(draft, t)), next: draft };
  }

  private prompt(draft: TipDraft, t: TFunction): string {
    switch (draft.step) {
      case 'category': {
        const list = TIP_CATEGORIES.map((category, i) => `${i + 1}. ${capitalised(t(`tips:category.${category}`))}`).join('\n');
        return t('tipchat:ask.category', { list });
      }
      case 'where':
        return t('tipchat:ask.where');
      case 'when':
        return t('tipchat:ask.when');
      case 'what':
        return t('tipchat:ask.what', { min: TIP_LIMITS.what.min });
      case 'photo':
        return t('tipchat:ask.photo', { max: TIP_LIMITS.photos });
      case 'confirm':
        return t('tipchat:ask.confirm', { summary: this.summary(draft, t) });
      case 'sent':
        return this.receipt(t, draft.code!);
    }
  }

  private summary(draft: TipDraft, t: TFunction): string {
    const unknown = t('tipchat:summary.unknown');
    return [
      t('tipchat:summary.category', { value: draft.category ? t(`tips:category.${draft.category}`) : unknown }),
      t('tipchat:summary.where', { value: draft.where || unknown }),
      t('tipchat:summary.when', { value: draft.when || unknown }),
      t('tipchat:summary.what', { value: draft.what ?? '' }),
      t('tipchat:summary.photos', { count: draft.photos }),
    ].join('\n');
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}
