import { randomBytes } from 'node:crypto';
import type { Actor } from '../accounts/actor.js';
import type { Role } from '../accounts/schemas.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import { foldText } from '../content/qa/normalise.js';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import { DomainError } from '../platform/domain-error.js';
import type { Translator } from '../platform/i18n.js';
import { wallClock } from '../platform/time-zone.js';
import type { QuestionQueue } from './question-queue.js';
import type { QuestionStore, TransitionResult } from './question-store.js';
import { QUESTION_LIMITS, type QuestionReason, type QuestionRecord, type QuestionStatus, type QuestionView, type ReplyRoute } from './schemas.js';

export interface QuestionLimits {
  /** Questions one chat may queue for staff per hour. */
  perHour: number;
}

export const DEFAULT_QUESTION_LIMITS: QuestionLimits = { perHour: 5 };
const HOUR = 3600;
const DAY = 24 * HOUR;
/** How much of the question the answer quotes, so the resident knows what it answers. */
const QUOTE_LENGTH = 200;

export interface QuestionsDeps {
  store: QuestionStore;
  box: SealedBox;
  audit: AuditLog;
  outbox: Outbox;
  queue: QuestionQueue;
  translator: Translator;
  limits: QuestionLimits;
  now: () => Date;
  /** The ward's clock, which days of the automatic-answer count follow. */
  timeZone: string;
}

/** Who asked, in the audit trail: a resident, never which one. */
const RESIDENT = 'resident';

/** Questions are ward staff's work; the police work on tips, and approvers only release broadcasts. */
const STAFF_ROLES: readonly Role[] = ['staff', 'admin'];

/**
 * Residents' questions the knowledge base could not answer, or that the resident wanted a person to answer: queued
 * for ward staff, who answer through the bot. The chat to answer in is sealed apart and only this class reads it.
 */
export class Questions {
  constructor(readonly deps: QuestionsDeps) {}

  /** Queues a question for staff; throws a `DomainError` worded for the resident when it is not queued. */
  async ask(text: string, from: ReplyRoute, reason: QuestionReason): Promise<QuestionRecord> {
    const question = text.trim();
    if (question.length > QUESTION_LIMITS.text) throw new DomainError('invalid', 'questions:errors.tooLong', { max: QUESTION_LIMITS.text });
    const words = foldText(question).split(' ').filter((word) => word !== '');
    if (words.length < QUESTION_LIMITS.minWords) throw new DomainError('invalid', 'questions:errors.tooShort');

    const { store, box, limits } = this.deps;
    const chat = box.hash('question-chat', `${from.platform}:${from.chatId}`);
    if ((await store.count(chat, HOUR)) > limits.perHour) throw new DomainError('rate-limited', 'questions:errors.tooMany', { max: limits.perHour });
    // Case, accents and spacing do not make a question new: "Gio lam viec?" repeats "Giờ làm việc".
    const repeat = box.hash('question-repeat', `${chat}\0${words.join(' ')}`);
    if (await store.seen(repeat)) {
      await store.uncount(chat);
      throw new DomainError('conflict', 'questions:errors.repeated');
    }

    const record: QuestionRecord = { id: `q-${randomBytes(5).toString('hex')}`, status: 'open', reason, createdAt: this.deps.now().toISOString() };
    await store.create({ record, text: question, route: from }, { fingerprint: repeat, seconds: DAY });
    await this.deps.audit.record({ actor: RESIDENT, action: 'question.received', subject: `question:${record.id}`, details: { reason, platform: from.platform, locale: from.locale } });
    await this.deps.queue.add(record.id);
    return record;
  }

  /** Counts a question the knowledge base answered without staff, for the campaign report. */
  async answeredAutomatically(): Promise<void> {
    await this.deps.store.countAnsweredAutomatically(wallClock(this.deps.now(), this.deps.timeZone).date);
  }

  // Ward staff's side. Every read and change is written to the audit stream.

  /** Open questions first, then the rest; oldest first within each. */
  async list(actor: Actor, status?: QuestionStatus): Promise<QuestionView[]> {
    ensureStaff(actor);
    const records = (await this.deps.store.records()).filter((r) => !status || r.status === status);
    const ordered = [...records.filter((r) => r.status === 'open'), ...records.filter((r) => r.status !== 'open')];
    const views = await Promise.all(ordered.map((record) => this.view(record)));
    await this.deps.audit.record({ actor: actor.name, action: 'question.listed', subject: 'questions', details: { count: views.length, status: status ?? null } });
    return views;
  }

  async get(id: string, actor: Actor): Promise<QuestionView> {
    ensureStaff(actor);
    const view = await this.view(await this.requireRecord(id));
    await this.deps.audit.record({ actor: actor.name, action: 'question.read', subject: `question:${id}` });
    return view;
  }

  /**
   * Sends the answer to the resident's chat and marks the question answered. The status changes first, in one
   * step with the check that it was open, so two staff answering at once cannot both send.
   */
  async answer(id: string, text: string, actor: Actor): Promise<QuestionView> {
    ensureStaff(actor);
    const answer = text.trim();
    if (answer.length === 0 || answer.length > QUESTION_LIMITS.answer) {
      throw new DomainError('invalid', 'questions:errors.invalid', {}, [{ field: 'text', key: 'questions:problems.answer', params: { max: QUESTION_LIMITS.answer } }]);
    }
    const { store } = this.deps;
    const answeredAt = this.deps.now().toISOString();
    refused(id, await store.transition(id, { from: ['open'], set: { status: 'answered', answeredAt, answeredBy: actor.name }, answer: { keep: answer } }));
    try {
      const route = await store.route(id);
      const t = this.deps.translator.t(route.locale);
      const question = await store.text(id);
      const quote = question.length > QUOTE_LENGTH ? `${question.slice(0, QUOTE_LENGTH)}…` : question;
      await this.deps.outbox.send({
        // The same answer to the same question is one message, however often the request is repeated.
        id: `question-answer.${id}.${this.deps.box.hash('question-answer', answer).slice(0, 16)}`,
        platform: route.platform,
        chatId: route.chatId,
        chatKind: 'private',
        lane: 'reply',
        message: { kind: 'text', text: t('questions:reply.fromStaff', { question: quote, answer }) },
      });
    } catch (err) {
      // Not sent: the question waits again, for this answer or another.
      await store.transition(id, { from: ['answered'], set: { status: 'open' }, unset: ['answeredAt', 'answeredBy'], answer: 'drop' });
      throw err;
    }
    await this.deps.audit.record({ actor: actor.name, action: 'question.answered', subject: `question:${id}` });
    return this.view(await this.requireRecord(id));
  }

  /** Closes a question that needs no (further) answer: spam, thanks, or answered some other way. */
  async close(id: string, actor: Actor): Promise<QuestionView> {
    ensureStaff(actor);
    const closedAt = this.deps.now().toISOString();
    refused(id, await this.deps.store.transition(id, { from: ['open', 'answered'], set: { status: 'closed', closedAt, closedBy: actor.name } }));
    await this.deps.audit.record({ actor: actor.name, action: 'question.closed', subject: `question:${id}` });
    return this.view(await this.requireRecord(id));
  }

  private async view(record: QuestionRecord): Promise<QuestionView> {
    const { store } = this.deps;
    const [text, route, answer] = await Promise.all([store.text(record.id), store.route(record.id), store.answer(record.id)]);
    return { ...record, text, locale: route.locale, ...(answer === undefined ? {} : { answer }) };
  }

  private async requireRecord(id: string): Promise<QuestionRecord> {
    const record = await this.deps.store.record(id);
    if (!record) throw new DomainError('not-found', 'questions:errors.notFound', { id });
    return record;
  }

  /** Stops taking jobs for the queue; the store needs no closing. */
  shutdown(): Promise<void> {
    return this.deps.queue.close();
  }
}

function ensureStaff(actor: Actor): void {
  if (!STAFF_ROLES.includes(actor.role)) throw new DomainError('forbidden', 'questions:errors.forbidden', { role: actor.role });
}

/** Says why a status change was refused: no such question, or it is already answered or closed. */
function refused(id: string, result: TransitionResult): void {
  if (result.done) return;
  if (result.status === undefined) throw new DomainError('not-found', 'questions:errors.notFound', { id });
  if (result.status === 'closed') throw new DomainError('conflict', 'questions:errors.alreadyClosed', { id });
  throw new DomainError('conflict', 'questions:errors.alreadyAnswered', { id });
}
