import { expect } from 'vitest';
import type { Actor } from '../../src/accounts/actor.js';
import type { DeliveryRow } from '../../src/broadcasts/delivery-report.js';
import type { Platform } from '../../src/channels/channel.js';
import { TERMINAL_STATUSES } from '../../src/channels/outbound/deliveries.js';
import type { TestService } from '../support/service.js';

const STAFF: Actor = { name: 'lan.staff', role: 'staff' };
const APPROVER: Actor = { name: 'hung.approver', role: 'approver' };

/** One occurrence of a broadcast to every group, fired at once; its delivery rows are read back with `rows`. */
export interface FiredBroadcast {
  rows(): Promise<DeliveryRow[]>;
  /** Whether every group's delivery has ended, one way or another. */
  finished(): Promise<boolean>;
}

/** Registers and approves one group per chat id on the platform. */
export async function addGroups(service: TestService, platform: Platform, chatIds: readonly string[]): Promise<void> {
  for (const chatId of chatIds) {
    const group = await service.groups.register({ platform, chatId, name: `Tổ dân phố ${chatId}`, tags: [] }, 'test');
    await service.groups.approve(group.id, 'test');
  }
}

/** A one-off broadcast to all groups, approved and fired now (its own time is a year ahead, out of quiet hours). */
export async function fireBroadcast(service: TestService, title: string): Promise<FiredBroadcast> {
  const { broadcasts } = service;
  const nextYear = new Date().getUTCFullYear() + 1;
  const schedule = await broadcasts.create(
    { title, timing: { kind: 'once', at: `${nextYear}-06-05 09:00` }, target: { kind: 'all' }, content: { kind: 'message', campaign: '2026-thang-hanh-dong', message: 'to-giac-vi-sao-01' } },
    STAFF,
  );
  if (!schedule || schedule.timing.kind !== 'once') throw new Error('the broadcast was not created');
  await broadcasts.approve(schedule.id, APPROVER);
  await broadcasts.deps.triggers.fire(schedule.id, new Date(schedule.timing.at), `fault-test-${schedule.id}`);
  const rows = async () => {
    const [occurrence] = await broadcasts.deps.store.occurrencesOf(schedule.id);
    return occurrence ? broadcasts.deliveries(occurrence.id, STAFF) : [];
  };
  return {
    rows,
    finished: async () => {
      const current = await rows();
      return current.length > 0 && current.every((row) => TERMINAL_STATUSES.includes(row.status));
    },
  };
}

/** How many messages each chat got. */
function countPerChat(sends: readonly { chatId: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { chatId } of sends) counts.set(chatId, (counts.get(chatId) ?? 0) + 1);
  return counts;
}

interface SendAttempt {
  chatId: string;
  at: number;
  /** Set on an attempt the platform refused with a rate limit. */
  retryAfterMs?: number;
}

/**
 * Attempts that came back to a chat before the wait the platform asked for on the previous attempt had passed.
 * Each message goes to its own chat here, so "the same chat" is "the same message".
 */
function earlyRetries(attempts: readonly SendAttempt[]): string[] {
  const early: string[] = [];
  const previous = new Map<string, SendAttempt>();
  for (const attempt of [...attempts].sort((a, b) => a.at - b.at)) {
    const refused = previous.get(attempt.chatId);
    if (refused?.retryAfterMs !== undefined && attempt.at < refused.at + refused.retryAfterMs) {
      early.push(`${attempt.chatId}: retried ${attempt.at - refused.at} ms after being told to wait ${refused.retryAfterMs} ms`);
    }
    previous.set(attempt.chatId, attempt);
  }
  return early;
}

/** The platform's bad spell, in the order the sends meet it; after it the platform answers normally. */
export interface BadSpell {
  rateLimited: number;
  retryAfterSeconds: number;
  serverErrors: number;
  /** Requests the platform never answers, until the adapter gives up on them. */
  hangs: number;
}

/** A send request as a fake platform saw it, reduced to what the fault tests judge. */
export interface SeenSend {
  chatId: string;
  at: number;
  /** The fault the fake answered with: 'rate-limit', 'server-error', or 'hang' for a request it never answered. */
  fault?: string | undefined;
}

export interface RecoveryCheck {
  service: TestService;
  platform: Platform;
  broadcast: FiredBroadcast;
  groups: readonly string[];
  residents: readonly string[];
  /** Messages the fake platform accepted, and every send request it saw, faults included. */
  sent: () => readonly { chatId: string }[];
  sends: () => readonly SeenSend[];
  /** How long the platform may take to recover and the backlog to drain. */
  deadlineMs: number;
}

/**
 * After a fan-out to `groups` and one reply to each of `residents` met `spell`: waits for all of it to be delivered
 * and the outbox to drain (room for a late duplicate to show), then checks that the whole spell was met, every chat
 * got exactly one message, no retry came before the retry_after a 429 gave, and every failed attempt was retried.
 */
export async function expectDeliveredOnceAfter(spell: BadSpell, check: RecoveryCheck): Promise<void> {
  const { service, platform, broadcast, groups, residents, sent, sends, deadlineMs } = check;
  const waitUp = { timeout: deadlineMs, interval: 200 };
  await expect.poll(() => broadcast.finished(), waitUp).toBe(true);
  await expect.poll(() => residents.every((chatId) => sent().some((s) => s.chatId === chatId)), waitUp).toBe(true);
  await expect.poll(() => service.channels.outbox.queue(platform).getJobCounts('waiting', 'prioritized', 'active', 'delayed'), waitUp).toEqual({ waiting: 0, prioritized: 0, active: 0, delayed: 0 });

  const met = (fault: SeenSend['fault']) => sends().filter((s) => s.fault === fault).length;
  expect({ rateLimited: met('rate-limit'), serverErrors: met('server-error'), hangs: met('hang') }).toEqual({ rateLimited: spell.rateLimited, serverErrors: spell.serverErrors, hangs: spell.hangs });

  const perChat = countPerChat(sent());
  for (const chatId of [...groups, ...residents]) expect(perChat.get(chatId), chatId).toBe(1);
  expect(sent()).toHaveLength(groups.length + residents.length);
  const rows = await broadcast.rows();
  expect(rows).toHaveLength(groups.length);
  expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);

  const attempts = sends().map((s) => ({ chatId: s.chatId, at: s.at, ...(s.fault === 'rate-limit' ? { retryAfterMs: spell.retryAfterSeconds * 1000 } : {}) }));
  expect(earlyRetries(attempts)).toEqual([]);
  for (const chatId of sends().filter((s) => s.fault).map((s) => s.chatId)) {
    expect(attempts.filter((a) => a.chatId === chatId).length, chatId).toBeGreaterThan(1);
  }
}
