import type { Redis } from 'ioredis';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import type { Locale } from '../platform/config.js';
import { guessLanguage } from '../content/qa/normalise.js';
import type { QuestionAnswering } from '../content/qa/question-answering.js';
import type { QaEntry } from '../content/schemas.js';
import { renderText, type PlaceholderValues } from '../content/render.js';
import { DomainError } from '../platform/domain-error.js';
import { personRequest } from '../questions/person-request.js';
import type { Questions } from '../questions/questions.js';
import type { QuestionReason } from '../questions/schemas.js';
import type { CommandHandler, Conversation } from './router.js';

/** Suggestions offered to a person stay open this long for an answer by number, and a request for a person for its question. */
const SUGGESTION_TTL_SECONDS = 15 * 60;

export interface QuestionHandlerDeps {
  qa: QuestionAnswering;
  redis: Redis;
  prefix: string;
  box: SealedBox;
  placeholders: (locale: Locale) => PlaceholderValues;
  /** Where a question goes when the knowledge base has no answer or the person asks for ward staff. */
  questions: Questions;
}

/**
 * Plain text in a private chat is a question: a confident match is answered from the knowledge base, a likely one
 * is offered as numbered suggestions (the person answers with the number), and otherwise the question is passed to
 * ward staff, who answer in the same chat. Asking for a person ("gặp cán bộ") passes it on straight away.
 */
export function questionHandler(deps: QuestionHandlerDeps): CommandHandler {
  const { qa, redis } = deps;
  const byId = new Map(qa.entries.map((entry) => [entry.id, entry]));
  const keys = chatKeys(deps);

  return async (c, text) => {
    const question = text.trim();
    // Answer in the language the person wrote in; the knowledge base has both.
    const locale: Locale = question ? guessLanguage(question) : c.locale;
    const t = c.tFor(locale);
    const answer = async (entry: QaEntry) => {
      await c.reply(renderText(entry.answer[locale], deps.placeholders(locale)));
      await deps.questions.answeredAutomatically();
    };
    const { suggestions, waiting } = keys(c);

    if (!question) return c.reply(t('bot:qa.empty'));
    // After "gặp cán bộ", the next message is the question for staff.
    const awaited = (await redis.getdel(waiting)) !== null;
    const request = personRequest(question);
    if (request === 'only') return askWhatForStaff(deps, c, locale);
    if (request === 'with-question' || awaited) return passToStaff(deps, c, question, locale, 'asked');
    const choice = /^[1-9]$/.test(question) ? Number(question) : undefined;
    if (choice !== undefined) {
      const offered = JSON.parse((await redis.get(suggestions)) ?? '[]') as string[];
      const entry = byId.get(offered[choice - 1] ?? '');
      if (entry) return answer(entry);
    }

    const result = qa.answer(question);
    if (result.confidence === 'high') return answer(result.entry);
    if (result.confidence === 'medium') {
      await redis.set(suggestions, JSON.stringify(result.suggestions.map((s) => s.id)), 'EX', SUGGESTION_TTL_SECONDS);
      const list = result.suggestions.map((s, i) => `${i + 1}. ${s.questions[locale][0]}`).join('\n');
      return c.reply(t('bot:qa.suggest', { list }));
    }
    return passToStaff(deps, c, question, locale, 'unanswered');
  };
}

/** `/hoi <question>`: a question for ward staff rather than the bot. In a group it only says how to ask privately. */
export function askStaffCommand(deps: QuestionHandlerDeps): CommandHandler {
  return async (c, args) => {
    // What was written in a group is neither repeated nor kept: a question there is not private.
    if (c.message.chat.kind === 'group') return c.reply(c.t('bot:qa.askPrivately'));
    const question = args.trim();
    if (!question) return askWhatForStaff(deps, c, c.locale);
    await deps.redis.del(chatKeys(deps)(c).waiting);
    return passToStaff(deps, c, question, guessLanguage(question), 'asked');
  };
}

function chatKeys({ prefix, box }: QuestionHandlerDeps) {
  return (c: Conversation) => {
    const chat = box.hash('chat', `${c.message.platform}:${c.message.chat.id}`);
    return { suggestions: `${prefix}:conversations:suggestions:${chat}`, waiting: `${prefix}:conversations:question-for-staff:${chat}` };
  };
}

/** The person asked for staff without saying what about: their next message is the question. */
async function askWhatForStaff(deps: QuestionHandlerDeps, c: Conversation, locale: Locale): Promise<void> {
  await deps.redis.set(chatKeys(deps)(c).waiting, '1', 'EX', SUGGESTION_TTL_SECONDS);
  await c.reply(c.tFor(locale)('bot:qa.askWhat'));
}

async function passToStaff(deps: QuestionHandlerDeps, c: Conversation, question: string, locale: Locale, reason: QuestionReason): Promise<void> {
  const t = c.tFor(locale);
  try {
    await deps.questions.ask(question, { platform: c.message.platform, chatId: c.message.chat.id, locale }, reason);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // "ok", "1": too little to pass on, so only the bot's own "no answer" for what the knowledge base missed.
    if (reason === 'unanswered' && err.key === 'questions:errors.tooShort') return c.reply(t('bot:qa.unknown'));
    return c.reply(t(err.key, err.params));
  }
  const hours = { office_hours: deps.placeholders(locale).office_hours };
  await c.reply(reason === 'unanswered' ? t('bot:qa.queued', hours) : t('bot:qa.passedToStaff', hours));
}
