import type { Outbox } from '../channels/outbound/outbox.js';
import type { DeliveryStatus } from '../channels/outbound/deliveries.js';
import type { GroupSkip, PlanEntry } from './schemas.js';
import type { ScheduleStore } from './schedule-store.js';

export interface DeliveryRow {
  groupId: string;
  item?: string;
  /** `skipped` covers both the fan-out's skips (with `skip`) and the channel layer's (unreachable chat). */
  status: DeliveryStatus | 'skipped';
  skip?: GroupSkip;
  reason?: string;
  deliveryId?: string;
  messageIds?: string;
}

export type OccurrenceSummary = Record<'targeted' | 'queued' | 'sending' | 'sent' | 'failed' | 'skipped' | 'unknown', number>;

/** Each group's outcome for one occurrence: the fan-out's plan joined with the channel layer's delivery records. */
export async function deliveryRows(occurrenceId: string, store: ScheduleStore, outbox: Pick<Outbox, 'deliveries'>): Promise<DeliveryRow[]> {
  const plan = await store.plan(occurrenceId);
  const planned = plan.filter((p): p is PlanEntry & { deliveryId: string } => p.deliveryId !== undefined);
  const records = await outbox.deliveries.getMany(planned.map((p) => p.deliveryId));
  const byDelivery = new Map(planned.map((p, i) => [p.deliveryId, records[i]]));
  return plan
    .map((p): DeliveryRow => {
      if (!p.deliveryId) return { groupId: p.groupId, status: 'skipped', ...(p.skip ? { skip: p.skip } : {}) };
      const record = byDelivery.get(p.deliveryId);
      return {
        groupId: p.groupId,
        ...(p.item ? { item: p.item } : {}),
        deliveryId: p.deliveryId,
        status: record?.status ?? 'queued',
        ...(record?.reason ? { reason: record.reason } : {}),
        ...(record?.messageIds ? { messageIds: record.messageIds } : {}),
      };
    })
    .sort((a, b) => a.groupId.localeCompare(b.groupId));
}

export function summarise(rows: readonly DeliveryRow[]): OccurrenceSummary {
  const summary: OccurrenceSummary = { targeted: rows.length, queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0, unknown: 0 };
  for (const row of rows) summary[row.status] += 1;
  return summary;
}
