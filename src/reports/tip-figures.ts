import { wallClock } from '../platform/time-zone.js';
import { TIP_CATEGORIES, tipCategorySchema, type TipCategory } from '../tips/schemas.js';
import { nearestRank } from './percentile.js';
import { REPORT_TIP_STATUSES, type CampaignReport } from './schemas.js';
import type { ReportSources } from './sources.js';

type Window = { first: Date; last: Date };

/**
 * Tips received in the period, by category and status, how long the police took to act first, and the replies
 * they sent in the period. Only records in clear and the audit stream are read, never what a tipster wrote.
 *
 * The first police action is the first claim, status or priority change, note or reply on a tip, which the tips
 * module records as `firstActionAt`; reading a tip is not an action. Tips still waiting for one are counted apart,
 * not in the median and 90th percentile. A tip purged after its retention period is gone from the store; the
 * audit trail's purge entry keeps its category and when it came, so it still counts, as "purged", without a time.
 */
export interface TipFigures {
  tips: CampaignReport['tips'];
  /** Tips received per day on the ward's clock and category, purged ones included, for the dashboard's chart. */
  byDay: ReadonlyMap<string, Record<TipCategory, number>>;
}

const noCategories = () => Object.fromEntries(TIP_CATEGORIES.map((c) => [c, 0])) as Record<TipCategory, number>;

export async function tipFigures(sources: ReportSources, window: Window): Promise<TipFigures> {
  const within = (iso: string) => Date.parse(iso) >= window.first.getTime() && Date.parse(iso) <= window.last.getTime();
  const records = await sources.tips.records(await sources.tips.idsCreatedBetween(window.first, window.last));
  const trail = await sources.audit.withActions(['tip.purged', 'tip.replied']);
  const purged = trail.flatMap((e) => {
    const category = tipCategorySchema.safeParse(e.details.category).data;
    const { createdAt } = e.details;
    return e.action === 'tip.purged' && category && typeof createdAt === 'string' && within(createdAt) ? [{ category, createdAt }] : [];
  });
  const replies = trail.filter((e) => e.action === 'tip.replied' && within(e.at));

  const byCategory = noCategories();
  const byDay = new Map<string, Record<TipCategory, number>>();
  for (const { category, createdAt } of [...records, ...purged]) {
    byCategory[category] += 1;
    const day = wallClock(new Date(createdAt), sources.timeZone).date;
    const counts = byDay.get(day) ?? noCategories();
    counts[category] += 1;
    byDay.set(day, counts);
  }
  const byStatus = Object.fromEntries(REPORT_TIP_STATUSES.map((s) => [s, 0])) as CampaignReport['tips']['byStatus'];
  for (const record of records) byStatus[record.status] += 1;
  byStatus.purged = purged.length;

  const waits = records.flatMap((r) => (r.firstActionAt ? [Math.max(0, Math.round((Date.parse(r.firstActionAt) - Date.parse(r.createdAt)) / 1000))] : []));
  const median = nearestRank(waits, 0.5);
  const p90 = nearestRank(waits, 0.9);
  const tips: CampaignReport['tips'] = {
    received: records.length + purged.length,
    byCategory,
    byStatus,
    firstAction: {
      acted: waits.length,
      waiting: records.length - waits.length,
      ...(median === undefined ? {} : { medianSeconds: median }),
      ...(p90 === undefined ? {} : { p90Seconds: p90 }),
    },
    replies: { sent: replies.length, toChat: replies.filter((e) => e.details.toChat === true).length },
  };
  return { tips, byDay };
}
