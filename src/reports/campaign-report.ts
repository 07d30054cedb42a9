import { broadcastFigures } from './broadcast-figures.js';
import { campaignCovering, periodBounds } from './period.js';
import { questionFigures } from './question-figures.js';
import { campaignReportSchema, reportPeriodSchema, type CampaignReport, type ReportPeriod } from './schemas.js';
import type { ReportSources } from './sources.js';
import { tipFigures } from './tip-figures.js';

/**
 * The figures of a period on the ward's clock, as they stand now: broadcasts timed in it, questions and tips that
 * came in it, and what was done about them. Counts and durations only, checked against the report's schema.
 * `campaignId` names the campaign to title it after, when more than one has exactly this period.
 */
export async function campaignReport(sources: ReportSources, period: ReportPeriod, campaignId?: string): Promise<CampaignReport> {
  const checked = reportPeriodSchema.parse(period);
  const window = periodBounds(checked, sources.timeZone);
  const generatedAt = sources.now().toISOString();
  const [{ campaignRuns, ...broadcasts }, questions, tips] = await Promise.all([
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
  return campaignReportSchema.parse({
    period: { ...checked, timeZone: sources.timeZone },
    generatedAt,
    ward: { name: sources.ward.name, nameEn: sources.ward.nameEn },
    ...(campaign ? { campaign: { id: campaign.id, name: campaign.name } } : {}),
    ...broadcasts,
    questions,
    tips,
  });
}
