import type { Redis } from 'ioredis';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import type { Locale } from '../platform/config.js';
import { guessLanguage } from '../content/qa/normalise.js';
import type { QuestionAnswering } from '../content/qa/question-answering.js';
import type { QaEntry } from '../content/schemas.js';
import { renderText, type PlaceholderValues } from '../content/render.js';
import type { CommandHandler } from './router.js';

/** Suggestions offered to a person stay open this long for an answer by number. */
const SUGGESTION_TTL_SECONDS = 15 * 60;

export interface QuestionHandlerDeps {
  qa: QuestionAnswering;
  redis: Redis;
  prefix: string;
  box: SealedBox;
  placeholders: (locale: Locale) => PlaceholderValues;
}

/**
 * Plain text in a private chat is a question: a confident match is answered from the knowledge base, a likely one
 * is offered as numbered suggestions (the person answers with the number), and otherwise the person is told that
 * the bot does not know yet.
 */
export function questionHandler({ qa, redis, prefix, box, placeholders }: QuestionHandlerDeps): CommandHandler {
  const byId = new Map(qa.entries.map((entry) => [entry.id, entry]));
  const suggestionKey = (platform: string, chatId: string) => `${prefix}:conversations:suggestions:${box.hash('chat', `${platform}:${chatId}`)}`;

  return async (c, text) => {
    const question = text.trim();
    // Answer in the language the person wrote in; the knowledge base has both.
    const locale: Locale = question ? guessLanguage(question) : c.locale;
    const t = c.tFor(locale);
    const answer = (entry: QaEntry) => c.reply(renderText(entry.answer[locale], placeholders(locale)));
    const key = suggestionKey(c.message.platform, c.message.chat.id);

    if (!question) return c.reply(t('bot:qa.empty'));
    const choice = /^[1-9]$/.test(question) ? Number(question) : undefined;
    if (choice !== undefined) {
      const offered = JSON.parse((await redis.get(key)) ?? '[]') as string[];
      const entry = byId.get(offered[choice - 1] ?? '');
      if (entry) return answer(entry);
    }

    const result = qa.answer(question);
    if (result.confidence === 'high') return answer(result.entry);
    if (result.confidence === 'medium') {
      await redis.set(key, JSON.stringify(result.suggestions.map((s) => s.id)), 'EX', SUGGESTION_TTL_SECONDS);
      const list = result.suggestions.map((s, i) => `${i + 1}. ${s.questions[locale][0]}`).join('\n');
      return c.reply(t('bot:qa.suggest', { list }));
    }
    return c.reply(t('bot:qa.unknown'));
  };
}
