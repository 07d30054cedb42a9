import { randomBytes } from 'node:crypto';
import type { Actor } from '../accounts/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import { DomainError, type Problem } from '../platform/domain-error.js';
import type { Translator } from '../platform/i18n.js';
import { canonicalReceiptCode, newReceiptCode } from './receipt-code.js';
import {
  FINISHED_STATUSES,
  newTipSchema,
  TIP_LIMITS,
  TIP_PRIORITIES,
  type PoliceView,
  type Requester,
  type TipCategory,
  type TipOrigin,
  type TipPriority,
  type TipRecord,
  type TipStatus,
  type TipsterView,
} from './schemas.js';
import type { TipQueue } from './tip-notices.js';
import type { TipStore } from './tip-store.js';

export interface TipLimits {
  /** Tips one chat or one web address may send per hour. */
  tipsPerHour: number;
  /** Wrong receipt codes one chat or address may try per hour before it has to wait. */
  wrongCodesPerHour: number;
}

export const DEFAULT_TIP_LIMITS: TipLimits = { tipsPerHour: 5, wrongCodesPerHour: 10 };
const HOUR = 3600;
const DAY = 24 * HOUR;

export interface TipsDeps {
  store: TipStore;
  box: SealedBox;
  audit: AuditLog;
  outbox: Outbox;
  queue: TipQueue;
  translator: Translator;
  limits: TipLimits;
  now: () => Date;
}

export interface TipFilter {
  status?: TipStatus;
  category?: TipCategory;
  /** ISO instants bounding `createdAt`. */
  from?: string;
  to?: string;
}

export interface TipChange {
  status?: TipStatus;
  priority?: TipPriority;
  duplicateOf?: string;
}

/** Who wrote: recorded in the audit trail as this, never as anything that identifies them. */
const TIPSTER = 'tipster';

/** Normalised text for duplicate detection: case, accents-as-typed and spacing do not make a tip new. */
function normalisedText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** What is wrong with a tip's fields, one problem per field, worded by the tips namespace; none when it is fine. */
export function tipProblems(input: unknown): Problem[] {
  const parsed = newTipSchema.safeParse(input);
  if (parsed.success) return [];
  const fields = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'tip')));
  return [...fields].map((field) => ({ field, key: `tips:problems.${field}` }));
}

/**
 * Anonymous tip-offs: taking them in, answering the tipster by receipt code, and the police's work on them.
 * Nothing that identifies a tipster is stored with a tip; the chat to reply to is sealed apart and only this class
 * reads it, to deliver a reply.
 */
export class Tips {
  constructor(readonly deps: TipsDeps) {}

  private requesterHash(requester: Requester): string {
    return this.deps.box.hash('tip-requester', requester.kind === 'chat' ? `chat:${requester.platform}:${requester.chatId}` : `web:${requester.address}`);
  }

  /** Stores a tip and returns its receipt code; once this returns, the tip survives a restart. */
  async submit(input: unknown, origin: TipOrigin, photos: readonly Buffer[] = []): Promise<{ id: string; code: string }> {
    const parsed = newTipSchema.safeParse(input);
    if (!parsed.success) throw new DomainError('invalid', 'tips:errors.invalid', {}, tipProblems(input));
    if (photos.length > TIP_LIMITS.photos) throw new DomainError('invalid', 'tips:errors.invalid', {}, [{ field: 'photos', key: 'tips:problems.photos', params: { max: TIP_LIMITS.photos } }]);
    const content = parsed.data;
    const { store, box, now } = this.deps;
    const sender = this.requesterHash(origin);
    if ((await store.count('submit', sender, HOUR)) > this.deps.limits.tipsPerHour) {
      throw new DomainError('rate-limited', 'tips:errors.tooMany', { max: this.deps.limits.tipsPerHour });
    }
    const text = normalisedText(content.what);
    // The same text from the same sender within a day is a repeat, not a new tip; from someone else, a hint. Both
    // marks are only read here and written in the tip's own transaction: a command re-sent by the Redis client after
    // a reconnect must not find a mark left by a tip that was never stored.
    const repeat = box.hash('tip-repeat', `${sender}\0${text}`);
    const sameText = box.hash('tip-text', text);
    if (await store.seen(repeat)) throw new DomainError('conflict', 'tips:errors.repeated');

    const id = `t-${randomBytes(5).toString('hex')}`;
    const similarTo = await store.seen(sameText);
    const code = newReceiptCode();
    const at = now().toISOString();
    const record: TipRecord = {
      id,
      category: content.category,
      status: 'new',
      priority: 'normal',
      source: origin.kind,
      photos: photos.length,
      messages: 0,
      createdAt: at,
      updatedAt: at,
      ...(similarTo ? { similarTo } : {}),
    };
    await store.create({
      record,
      codeHash: this.codeHash(canonicalReceiptCode(code)!),
      content,
      photos,
      marks: [
        { fingerprint: repeat, value: '1', seconds: DAY },
        { fingerprint: sameText, value: id, seconds: DAY, keepFirst: true },
      ],
      ...(origin.kind === 'chat' ? { route: { platform: origin.platform, chatId: origin.chatId, locale: origin.locale } } : {}),
    });
    await this.deps.audit.record({ actor: TIPSTER, action: 'tip.received', subject: `tip:${id}`, details: { category: content.category, source: origin.kind, photos: photos.length } });
    await this.enqueue(id, 'created', `created.${id}`);
    return { id, code };
  }

  /** The tipster's view of a tip by its receipt code. Wrong codes are counted, and too many make the asker wait. */
  async view(code: string, requester: Requester): Promise<TipsterView> {
    const id = await this.idForCode(code, requester);
    return this.tipsterView(id);
  }

  /** The tipster adds to a tip or answers the police. */
  async addFromTipster(code: string, text: string, requester: Requester): Promise<TipsterView> {
    const id = await this.idForCode(code, requester);
    const message = this.message(text);
    const at = this.deps.now().toISOString();
    await this.deps.store.appendThread(id, { from: 'tipster', at, text: message }, { updatedAt: at });
    await this.deps.audit.record({ actor: TIPSTER, action: 'tip.tipster-message', subject: `tip:${id}` });
    await this.enqueue(id, 'tipster-message', `message.${id}.${Date.parse(at)}`);
    return this.tipsterView(id);
  }

  private async enqueue(tipId: string, event: 'created' | 'tipster-message', jobId: string): Promise<void> {
    await this.deps.store.link(tipId, 'job', jobId);
    await this.deps.queue.add({ tipId, event }, jobId);
  }

  private async idForCode(typed: string, requester: Requester): Promise<string> {
    const { store, limits } = this.deps;
    const asker = this.requesterHash(requester);
    if ((await store.peekCount('wrong-code', asker)) >= limits.wrongCodesPerHour) throw new DomainError('rate-limited', 'tips:errors.tooManyCodes');
    const code = canonicalReceiptCode(typed);
    const id = code === undefined ? undefined : await store.idForCode(this.codeHash(code));
    if (id === undefined) {
      await store.count('wrong-code', asker, HOUR);
      // The same answer for a mistyped code, an unknown one and a purged one: a wrong code reveals nothing.
      throw new DomainError('not-found', 'tips:errors.unknownCode');
    }
    return id;
  }

  private codeHash(canonicalCode: string): string {
    return this.deps.box.hash('tip-code', canonicalCode);
  }

  private async tipsterView(id: string): Promise<TipsterView> {
    const record = await this.deps.store.record(id);
    if (!record) throw new DomainError('not-found', 'tips:errors.unknownCode');
    return { id, category: record.category, status: record.status, createdAt: record.createdAt, thread: await this.deps.store.thread(id) };
  }

  // The police's side. Every read and change is written to the audit stream.

  /** Tips by priority (most urgent first), then age (oldest first). */
  async list(actor: Actor, filter: TipFilter = {}): Promise<TipRecord[]> {
    ensurePolice(actor);
    const records = await this.deps.store.records(await this.deps.store.ids());
    const rank = (p: TipPriority) => TIP_PRIORITIES.length - TIP_PRIORITIES.indexOf(p);
    const chosen = records
      .filter((r) => (!filter.status || r.status === filter.status) && (!filter.category || r.category === filter.category))
      .filter((r) => (!filter.from || r.createdAt >= filter.from) && (!filter.to || r.createdAt <= filter.to))
      .sort((a, b) => rank(a.priority) - rank(b.priority) || a.createdAt.localeCompare(b.createdAt));
    await this.deps.audit.record({ actor: actor.name, action: 'tip.listed', subject: 'tips', details: { count: chosen.length, status: filter.status ?? null, category: filter.category ?? null } });
    return chosen;
  }

  async read(id: string, actor: Actor): Promise<PoliceView> {
    ensurePolice(actor);
    const record = await this.requireRecord(id);
    const { store } = this.deps;
    const [content, thread, notes] = await Promise.all([store.content(id), store.thread(id), store.notes(id)]);
    await this.deps.audit.record({ actor: actor.name, action: 'tip.read', subject: `tip:${id}` });
    return { ...record, content, thread, notes };
  }

  async photo(id: string, n: number, actor: Actor): Promise<Buffer> {
    ensurePolice(actor);
    const photo = await this.deps.store.photo(id, n);
    if (!photo) throw new DomainError('not-found', 'tips:errors.noPhoto', { id, n });
    await this.deps.audit.record({ actor: actor.name, action: 'tip.photo-viewed', subject: `tip:${id}`, details: { photo: n } });
    return photo;
  }

  async change(id: string, change: TipChange, actor: Actor): Promise<TipRecord> {
    ensurePolice(actor);
    const record = await this.requireRecord(id);
    const duplicateOfProblem = (change.status === 'duplicate') !== (change.duplicateOf !== undefined) || change.duplicateOf === id;
    if (duplicateOfProblem) throw new DomainError('invalid', 'tips:errors.invalid', {}, [{ field: 'duplicateOf', key: 'tips:problems.duplicateOf' }]);
    if (change.duplicateOf) await this.requireRecord(change.duplicateOf);
    const at = this.deps.now().toISOString();
    const status = change.status ?? record.status;
    const finished = FINISHED_STATUSES.includes(status);
    const fields: Partial<TipRecord> = {
      ...change,
      updatedAt: at,
      ...(record.firstActionAt ? {} : { firstActionAt: at }),
      ...(finished && !record.closedAt ? { closedAt: at } : {}),
    };
    const clear: (keyof TipRecord)[] = [...(finished ? [] : (['closedAt'] as const)), ...(status === 'duplicate' ? [] : (['duplicateOf'] as const))];
    await this.deps.store.update(id, fields, clear);
    await this.deps.audit.record({ actor: actor.name, action: 'tip.changed', subject: `tip:${id}`, details: { status, priority: change.priority ?? record.priority, duplicateOf: change.duplicateOf ?? null } });
    return (await this.deps.store.record(id))!;
  }

  async claim(id: string, actor: Actor): Promise<TipRecord> {
    ensurePolice(actor);
    const record = await this.requireRecord(id);
    const at = this.deps.now().toISOString();
    await this.deps.store.update(id, { claimedBy: actor.name, updatedAt: at, ...(record.firstActionAt ? {} : { firstActionAt: at }) });
    await this.deps.audit.record({ actor: actor.name, action: 'tip.claimed', subject: `tip:${id}` });
    return (await this.deps.store.record(id))!;
  }

  /** A note is police work on the tip too: the first one counts as the first action, as a claim or reply would. */
  async note(id: string, text: string, actor: Actor): Promise<void> {
    ensurePolice(actor);
    const record = await this.requireRecord(id);
    const at = this.deps.now().toISOString();
    await this.deps.store.appendNote(id, { author: actor.name, at, text: this.message(text) });
    if (!record.firstActionAt) await this.deps.store.update(id, { firstActionAt: at });
    await this.deps.audit.record({ actor: actor.name, action: 'tip.noted', subject: `tip:${id}` });
  }

  /**
   * Answers the tipster: the reply joins the thread they read with their code, and goes to their chat if they wrote
   * from one. If they have blocked the bot since, the chat send is skipped and the reply still waits behind the code.
   */
  async reply(id: string, text: string, actor: Actor): Promise<{ deliveredToChat: boolean }> {
    ensurePolice(actor);
    const record = await this.requireRecord(id);
    const at = this.deps.now().toISOString();
    const message = this.message(text);
    await this.deps.store.appendThread(id, { from: 'police', at, text: message }, { updatedAt: at, ...(record.firstActionAt ? {} : { firstActionAt: at }) });
    const route = await this.deps.store.route(id);
    if (route) {
      const t = this.deps.translator.t(route.locale);
      const delivery = `tip-reply.${id}.${randomBytes(4).toString('hex')}`;
      await this.deps.store.link(id, 'delivery', delivery);
      await this.deps.outbox.send({
        id: delivery,
        platform: route.platform,
        chatId: route.chatId,
        chatKind: 'private',
        lane: 'reply',
        message: { kind: 'text', text: t('tips:reply.fromPolice', { text: message }) },
      });
    }
    await this.deps.audit.record({ actor: actor.name, action: 'tip.replied', subject: `tip:${id}`, details: { toChat: Boolean(route) } });
    return { deliveredToChat: Boolean(route) };
  }

  /**
   * Removes tips finished more than `days` ago with everything linked to them (content, thread, notes, photos,
   * reply route, code, queue jobs, outbound messages); the audit trail keeps that each existed and when it went.
   */
  async purgeFinished(days: number): Promise<number> {
    const { store } = this.deps;
    const cutoff = new Date(this.deps.now().getTime() - days * DAY * 1000).toISOString();
    const expired = (await store.records(await store.ids())).filter((r) => FINISHED_STATUSES.includes(r.status) && r.closedAt !== undefined && r.closedAt <= cutoff);
    for (const record of expired) {
      // The "similar text" hint must not keep pointing at a tip that is gone.
      await store.forget(this.deps.box.hash('tip-text', normalisedText((await store.content(record.id)).what)), record.id);
      for (const { kind, ref } of await store.links(record.id)) {
        if (kind === 'job') await this.deps.queue.remove(ref);
        else await this.deps.outbox.forget(ref);
      }
      await store.purge(record.id);
      await this.deps.audit.record({ actor: 'retention', action: 'tip.purged', subject: `tip:${record.id}`, details: { category: record.category, createdAt: record.createdAt, closedAt: record.closedAt ?? null } });
    }
    return expired.length;
  }

  private message(text: string): string {
    const message = text.trim();
    if (message.length === 0 || message.length > TIP_LIMITS.message) {
      throw new DomainError('invalid', 'tips:errors.invalid', {}, [{ field: 'text', key: 'tips:problems.message', params: { max: TIP_LIMITS.message } }]);
    }
    return message;
  }

  private async requireRecord(id: string): Promise<TipRecord> {
    const record = await this.deps.store.record(id);
    if (!record) throw new DomainError('not-found', 'tips:errors.notFound', { id });
    return record;
  }

  close(): Promise<void> {
    return this.deps.queue.close();
  }
}

/** Tips are for the ward police alone: not staff, not approvers, not even the admin. */
function ensurePolice(actor: Actor): void {
  if (actor.role !== 'police') throw new DomainError('forbidden', 'tips:errors.forbidden', { role: actor.role });
}
