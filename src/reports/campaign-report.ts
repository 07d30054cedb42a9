import { broadcastFigures } from './broadcast-figures.js';
import { TIP_CATEGORIES, type TipCategory } from '../tips/schemas.js';
import { campaignCovering, periodBounds, periodDays } from './period.js';
import { questionFigures } from './question-figures.js';
import { campaignReportSchema, reportPeriodSchema, type CampaignReport, type ReportPeriod } from './schemas.js';
import type { ReportSources } from './sources.js';
import { tipFigures } from './tip-figures.js';

/** The days of a report's period with what the dashboard charts per day; zero on days with nothing. */
export interface DailyFigures {
  days: string[];
  sent: number[];
  failed: number[];
  tips: Record<TipCategory, number[]>;
}

/**
 * The figures of a period on the ward's clock, as they stand now: broadcasts timed in it, questions and tips that
 * came in it, and what was done about them. Counts and durations only, checked against the report's schema; and the
 * same figures per day. `campaignId` names the campaign to title it after, when more than one has exactly this period.
 */
export async function reportWithDaily(sources: ReportSources, period: ReportPeriod, campaignId?: string): Promise<{ report: CampaignReport; daily: DailyFigures }> {
  const checked = reportPeriodSchema.parse(period);
  const window = periodBounds(checked, sources.timeZone);
  const generatedAt = sources.now().toISOString();
  const [{ campaignRuns, byDay: sentByDay, ...broadcasts }, questions, { tips, byDay: tipsByDay }] = await Promise.all([
    broadcastFigures(sources, window),
    questionFigures(sources, checked, window),
    tipFigures(sources, window),
  ]);
  const campaign = campaignCovering(
    sources.library.campaigns.map((c) => c.campaign),
    checked,
    campaignRuns,
    campaignId,
  );
  const report = campaignReportSchema.parse({
    period: { ...checked, timeZone: sources.timeZone },
    generatedAt,
    ward: { name: sources.ward.name, nameEn: sources.ward.nameEn },
    ...(campaign ? { campaign: { id: campaign.id, name: campaign.name } } : {}),
    ...broadcasts,
    questions,
    tips,
  });
  const days = periodDays(checked);
  const daily: DailyFigures = {
    days,
    sent: days.map((day) => sentByDay.get(day)?.sent ?? 0),
    failed: days.map((day) => sentByDay.get(day)?.failed ?? 0),
    tips: Object.fromEntries(TIP_CATEGORIES.map((category) => [category, days.map((day) => tipsByDay.get(day)?.[category] ?? 0)])) as DailyFigures['tips'],
  };
  return { report, daily };
}

export async function campaignReport(sources: ReportSources, period: ReportPeriod, campaignId?: string): Promise<CampaignReport> {
  return (await reportWithDaily(sources, period, campaignId)).report;
}
