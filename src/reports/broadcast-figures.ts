import { deliveryRows, type DeliveryRow } from '../broadcasts/delivery-report.js';
import { OCCURRENCE_SKIPS, type BroadcastContent, type Schedule } from '../broadcasts/schemas.js';
import { fireTimes } from '../broadcasts/when.js';
import type { ContentLibrary } from '../content/schemas.js';
import type { Group } from '../groups/schemas.js';
import { wallClock } from '../platform/time-zone.js';
import { REPORT_TOPICS, type CampaignReport, type DeliveryCounts, type ReportTopic } from './schemas.js';
import type { ReportSources } from './sources.js';

/** Enough fire times for a schedule every few minutes over a month; a report period is a campaign, not years. */
const UPCOMING_LIMIT = 10_000;

type Window = { first: Date; last: Date };
type GroupRow = CampaignReport['broadcasts']['byGroup'][number];
type TopicRow = CampaignReport['broadcasts']['byTopic'][number];

export interface BroadcastFigures extends Pick<CampaignReport, 'broadcasts' | 'groups'> {
  /** Runs in the period per campaign their content comes from, to tell which campaign the period was about. */
  campaignRuns: ReadonlyMap<string, number>;
  /** Deliveries sent and failed per day of their occurrence on the ward's clock, for the dashboard's chart. */
  byDay: ReadonlyMap<string, { sent: number; failed: number }>;
}

const noDeliveries = (): DeliveryCounts => ({ planned: 0, sent: 0, failed: 0, skipped: 0, pending: 0 });

/** Queued, sending, and interrupted sends whose outcome nobody knows are all not finished yet. */
function outcome(row: DeliveryRow): Exclude<keyof DeliveryCounts, 'planned'> {
  if (row.status === 'sent' || row.status === 'failed' || row.status === 'skipped') return row.status;
  return 'pending';
}

function add(counts: DeliveryCounts, row: DeliveryRow): void {
  counts.planned += 1;
  counts[outcome(row)] += 1;
}

function topicOf(content: BroadcastContent, library: ContentLibrary): ReportTopic {
  if (content.kind === 'text') return 'announcement';
  if (content.kind === 'rotation') return content.topic;
  const campaign = library.campaigns.find((c) => c.campaign.id === content.campaign);
  return campaign?.messages.find((m) => m.id === content.message)?.topic ?? 'unknown';
}

/** Approved occurrences still ahead within the period: planned, not yet run. */
function upcoming(schedule: Schedule, window: Window, now: Date): number {
  if (schedule.status !== 'approved') return 0;
  const after = now > window.first ? now : new Date(window.first.getTime() - 1);
  return fireTimes(schedule.timing, after, UPCOMING_LIMIT).filter((at) => at <= window.last).length;
}

/**
 * Broadcasts timed in the period: each occurrence's outcome, and each group's delivery outcome from the fan-out's
 * plan joined with the channel layer's records, totalled per group and per topic.
 */
export async function broadcastFigures(sources: ReportSources, window: Window): Promise<BroadcastFigures> {
  const now = sources.now();
  const runs = { planned: 0, done: 0, skipped: 0, inProgress: 0, upcoming: 0 };
  const runSkips = Object.fromEntries(OCCURRENCE_SKIPS.map((reason) => [reason, 0])) as CampaignReport['broadcasts']['runSkips'];
  const deliveries = noDeliveries();
  const byTopic = new Map<ReportTopic, TopicRow>();
  const byGroup = new Map<string, DeliveryCounts>();
  const campaignRuns = new Map<string, number>();
  const byDay = new Map<string, { sent: number; failed: number }>();

  for (const schedule of await sources.schedules.list()) {
    const topic = topicOf(schedule.content, sources.library);
    const topicRow = byTopic.get(topic) ?? { topic, runs: 0, ...noDeliveries() };
    const occurrences = await sources.schedules.occurrencesBetween(schedule.id, window.first, window.last);
    const ahead = upcoming(schedule, window, now);
    runs.upcoming += ahead;
    topicRow.runs += occurrences.length + ahead;
    if (schedule.content.kind !== 'text') campaignRuns.set(schedule.content.campaign, (campaignRuns.get(schedule.content.campaign) ?? 0) + occurrences.length + ahead);
    for (const occurrence of occurrences) {
      if (occurrence.status === 'skipped') {
        runs.skipped += 1;
        if (occurrence.reason) runSkips[occurrence.reason] += 1;
        continue;
      }
      if (occurrence.status === 'done') runs.done += 1;
      else runs.inProgress += 1;
      const day = wallClock(new Date(occurrence.at), sources.timeZone).date;
      const dayRow = byDay.get(day) ?? { sent: 0, failed: 0 };
      byDay.set(day, dayRow);
      for (const row of await deliveryRows(occurrence.id, sources.schedules, sources.outbox)) {
        if (row.status === 'sent' || row.status === 'failed') dayRow[row.status] += 1;
        add(deliveries, row);
        add(topicRow, row);
        const groupRow = byGroup.get(row.groupId) ?? noDeliveries();
        add(groupRow, row);
        byGroup.set(row.groupId, groupRow);
      }
    }
    if (topicRow.runs > 0) byTopic.set(topic, topicRow);
  }
  runs.planned = runs.done + runs.skipped + runs.inProgress + runs.upcoming;

  const groups = await sources.groups.list();
  const approved = groups.filter((g) => g.status === 'approved');
  // Every approved group has a row, so that one that got nothing in the period shows as such.
  for (const group of approved) if (!byGroup.has(group.id)) byGroup.set(group.id, noDeliveries());
  const known = new Map<string, Group>(groups.map((g) => [g.id, g]));
  const groupRows: GroupRow[] = [...byGroup].map(([groupId, counts]) => {
    const group = known.get(groupId);
    return { groupId, ...(group ? { name: group.name, platform: group.platform } : {}), ...counts };
  });
  groupRows.sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff', 'vi') || a.groupId.localeCompare(b.groupId));

  return {
    broadcasts: {
      runs,
      runSkips,
      deliveries,
      byTopic: REPORT_TOPICS.flatMap((topic) => byTopic.get(topic) ?? []),
      byGroup: groupRows,
    },
    groups: {
      approved: approved.length,
      reached: approved.filter((g) => (byGroup.get(g.id)?.sent ?? 0) > 0).length,
      pending: groups.filter((g) => g.status === 'pending').length,
      paused: groups.filter((g) => g.status === 'paused').length,
      removed: groups.filter((g) => g.status === 'removed').length,
    },
    campaignRuns,
    byDay,
  };
}
