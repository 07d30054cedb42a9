import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import { DomainError } from '../platform/domain-error.js';
import type { Platform } from '../channels/channel.js';
import { deliveryRows, summarise, type DeliveryRow, type OccurrenceSummary } from './delivery-report.js';
import { fanOut, type FanOutDeps } from './fan-out.js';
import { dryRun, preview, type DryRun, type PreviewText } from './preview.js';
import { fireTimes } from './when.js';
import type { Actor } from '../accounts/actor.js';
import { ensureAllowed } from './permissions.js';
import type { Occurrence, Schedule, ScheduleStatus } from './schemas.js';
import type { BroadcastTriggers } from './triggers.js';
import { checkNewSchedule, type ValidationDeps } from './validation.js';

export interface BroadcastsDeps extends FanOutDeps, ValidationDeps {
  triggers: BroadcastTriggers;
  audit: AuditLog;
  /** The platforms this service sends through, for previews of a target that reaches no group yet. */
  platforms: readonly Platform[];
}

export interface CreateOptions {
  /** A fixed id, so that importing the same calendar twice finds what the first import made. */
  id?: string;
  origin?: string;
}

/** Occurrences `status` summarises; each summary reads every group's delivery record. */
const STATUS_OCCURRENCES = 20;

/** A schedule's life: draft → approved ⇄ paused → finished, or cancelled from any state before finishing. */
const FROM: Record<'approve' | 'pause' | 'resume' | 'cancel', readonly ScheduleStatus[]> = {
  approve: ['draft'],
  pause: ['approved'],
  resume: ['paused'],
  cancel: ['draft', 'approved', 'paused'],
};

/** What ward staff and approvers do with broadcasts; every change is checked, audited and reflected in the triggers. */
export class Broadcasts {
  constructor(readonly deps: BroadcastsDeps) {}

  /** Stores a checked draft; undefined when `options.id` exists already. */
  async create(input: unknown, actor: Actor, options: CreateOptions = {}): Promise<Schedule | undefined> {
    ensureAllowed(actor, 'change');
    const checked = await checkNewSchedule(input, this.deps);
    const at = this.deps.now().toISOString();
    const schedule: Schedule = {
      id: options.id ?? `b-${randomBytes(5).toString('hex')}`,
      ...checked,
      status: 'draft',
      ...(options.origin ? { origin: options.origin } : {}),
      createdBy: actor.name,
      createdAt: at,
      updatedAt: at,
    };
    if (!(await this.deps.store.add(schedule))) return undefined;
    await this.deps.audit.record({
      actor: actor.name,
      action: 'broadcast.created',
      subject: `broadcast:${schedule.id}`,
      details: { title: schedule.title, timing: schedule.timing.kind, target: schedule.target.kind, content: schedule.content.kind, urgent: schedule.urgent },
    });
    return schedule;
  }

  async list(actor: Actor, status?: ScheduleStatus): Promise<Schedule[]> {
    ensureAllowed(actor, 'read');
    const all = await this.deps.store.list();
    return status ? all.filter((s) => s.status === status) : all;
  }

  async get(id: string, actor: Actor): Promise<Schedule> {
    ensureAllowed(actor, 'read');
    return this.require(id);
  }

  async occurrences(id: string, actor: Actor): Promise<Occurrence[]> {
    await this.get(id, actor);
    return this.deps.store.occurrencesOf(id);
  }

  /** Releases a draft: from now on it fires. The one who wrote it cannot release it. */
  async approve(id: string, actor: Actor): Promise<Schedule> {
    ensureAllowed(actor, 'approve');
    const schedule = await this.inState(id, 'approve');
    if (schedule.createdBy === actor.name) throw new DomainError('forbidden', 'broadcasts:errors.ownApproval', { id });
    this.ensureStillAhead(schedule);
    const now = this.deps.now();
    const approved: Schedule = { ...schedule, status: 'approved', approvedBy: actor.name, approvedAt: now.toISOString(), updatedAt: now.toISOString() };
    await this.deps.store.put(approved);
    await this.deps.triggers.arm(approved, now);
    await this.audited(actor, 'broadcast.approved', approved);
    return approved;
  }

  pause(id: string, actor: Actor): Promise<Schedule> {
    return this.transition(id, actor, 'pause', 'paused');
  }

  async resume(id: string, actor: Actor): Promise<Schedule> {
    ensureAllowed(actor, 'change');
    this.ensureStillAhead(await this.inState(id, 'resume'));
    return this.transition(id, actor, 'resume', 'approved');
  }

  async cancel(id: string, actor: Actor): Promise<Schedule> {
    const cancelled = await this.transition(id, actor, 'cancel', 'cancelled');
    await this.deps.triggers.disarm(cancelled);
    return cancelled;
  }

  async preview(id: string, actor: Actor): Promise<PreviewText[]> {
    return preview(await this.get(id, actor), this.deps, this.deps.platforms);
  }

  async dryRun(id: string, actor: Actor, at?: Date): Promise<DryRun> {
    return dryRun(await this.get(id, actor), this.deps, at);
  }

  /** The schedule with each occurrence's outcome counts, most recent first. */
  async status(id: string, actor: Actor): Promise<{ schedule: Schedule; next: string[]; occurrences: (Occurrence & { summary: OccurrenceSummary })[] }> {
    const schedule = await this.get(id, actor);
    const occurrences = await this.deps.store.occurrencesOf(id, STATUS_OCCURRENCES);
    const withSummaries = await Promise.all(occurrences.map(async (o) => ({ ...o, summary: summarise(await deliveryRows(o.id, this.deps.store, this.deps.outbox)) })));
    const next = ['approved', 'paused', 'draft'].includes(schedule.status) ? fireTimes(schedule.timing, this.deps.now(), 5).map((d) => d.toISOString()) : [];
    return { schedule, next, occurrences: withSummaries };
  }

  async occurrence(occurrenceId: string, actor: Actor): Promise<Occurrence> {
    ensureAllowed(actor, 'read');
    return this.requireOccurrence(occurrenceId);
  }

  async deliveries(occurrenceId: string, actor: Actor): Promise<DeliveryRow[]> {
    ensureAllowed(actor, 'read');
    await this.requireOccurrence(occurrenceId);
    return deliveryRows(occurrenceId, this.deps.store, this.deps.outbox);
  }

  /** Sends failed and interrupted deliveries of an occurrence again (one group's, when given); returns how many. */
  async retry(occurrenceId: string, actor: Actor, groupId?: string): Promise<number> {
    ensureAllowed(actor, 'change');
    const occurrence = await this.requireOccurrence(occurrenceId);
    const rows = await deliveryRows(occurrenceId, this.deps.store, this.deps.outbox);
    let retried = 0;
    for (const row of rows) {
      if (row.deliveryId && (groupId === undefined || row.groupId === groupId) && (await this.deps.outbox.retry(row.deliveryId))) retried += 1;
    }
    await this.deps.audit.record({ actor: actor.name, action: 'broadcast.retried', subject: `broadcast:${occurrence.scheduleId}`, details: { occurrence: occurrenceId, retried, group: groupId ?? null } });
    return retried;
  }

  /** Runs one occurrence; the worker calls this when a trigger fires. */
  fanOut(scheduleId: string, at: Date): Promise<Occurrence> {
    return fanOut(scheduleId, at, this.deps);
  }

  close(): Promise<void> {
    return this.deps.triggers.close();
  }

  async require(id: string): Promise<Schedule> {
    const schedule = await this.deps.store.get(id);
    if (!schedule) throw new DomainError('not-found', 'broadcasts:errors.notFound', { id });
    return schedule;
  }

  private async requireOccurrence(id: string): Promise<Occurrence> {
    const occurrence = await this.deps.store.occurrence(id);
    if (!occurrence) throw new DomainError('not-found', 'broadcasts:errors.occurrenceNotFound', { id });
    return occurrence;
  }

  private async inState(id: string, action: keyof typeof FROM): Promise<Schedule> {
    const schedule = await this.require(id);
    if (!FROM[action].includes(schedule.status)) {
      throw new DomainError('conflict', 'broadcasts:errors.wrongStatus', { id, status: schedule.status, action });
    }
    return schedule;
  }

  /** A one-off whose time has passed cannot be released or resumed: it would never fire, or fire late. */
  private ensureStillAhead(schedule: Schedule): void {
    if (schedule.timing.kind === 'once' && Date.parse(schedule.timing.at) <= this.deps.now().getTime()) {
      throw new DomainError('conflict', 'broadcasts:errors.timePassed', { id: schedule.id, at: schedule.timing.at });
    }
  }

  private async transition(id: string, actor: Actor, action: 'pause' | 'resume' | 'cancel', status: ScheduleStatus): Promise<Schedule> {
    ensureAllowed(actor, 'change');
    const schedule = await this.inState(id, action);
    const next: Schedule = { ...schedule, status, updatedAt: this.deps.now().toISOString() };
    await this.deps.store.put(next);
    await this.audited(actor, `broadcast.${action === 'cancel' ? 'cancelled' : `${action}d`}`, next);
    return next;
  }

  private async audited(actor: Actor, action: string, schedule: Schedule): Promise<void> {
    await this.deps.audit.record({ actor: actor.name, action, subject: `broadcast:${schedule.id}`, details: { title: schedule.title, status: schedule.status } });
  }
}
