import { periodDays } from './period.js';
import type { CampaignReport, ReportPeriod } from './schemas.js';
import type { ReportSources } from './sources.js';

type Window = { first: Date; last: Date };

/**
 * Questions the knowledge base answered by itself (a daily count, nothing about what was asked), and those passed
 * to ward staff: asked in the period, by why they came, and answered by staff in the period.
 */
export async function questionFigures(sources: ReportSources, period: ReportPeriod, window: Window): Promise<CampaignReport['questions']> {
  const within = (iso: string | undefined) => iso !== undefined && Date.parse(iso) >= window.first.getTime() && Date.parse(iso) <= window.last.getTime();
  const records = await sources.questions.records();
  const asked = records.filter((r) => within(r.createdAt));
  return {
    answeredAutomatically: await sources.questions.answeredAutomatically(periodDays(period)),
    passedToStaff: {
      unanswered: asked.filter((r) => r.reason === 'unanswered').length,
      asked: asked.filter((r) => r.reason === 'asked').length,
    },
    answeredByStaff: records.filter((r) => within(r.answeredAt)).length,
    stillOpen: asked.filter((r) => r.status === 'open').length,
  };
}
