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
export function countPerChat(sends: readonly { chatId: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { chatId } of sends) counts.set(chatId, (counts.get(chatId) ?? 0) + 1);
  return counts;
}

export interface SendAttempt {
  chatId: string;
  at: number;
  /** Set on an attempt the platform refused with a rate limit. */
  retryAfterMs?: number;
}

/**
 * Attempts that came back to a chat before the wait the platform asked for on the previous attempt had passed.
 * Each message goes to its own chat here, so "the same chat" is "the same message".
 */
export function earlyRetries(attempts: readonly SendAttempt[]): string[] {
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
