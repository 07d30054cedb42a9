import type { Campaign } from '../content/schemas.js';
import { dayBounds } from '../platform/time-zone.js';
import type { ReportPeriod } from './schemas.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The period a report covers when none is asked for: the campaign running today; otherwise the campaign that ended
 * last, because reports are due in the days just after a campaign (01/7, 02/7, 05/7 for June); otherwise the
 * calendar month of today. Campaigns with the same period are the same choice, so the library's order decides.
 */
export function defaultPeriod(campaigns: readonly Campaign[], today: string): ReportPeriod {
  const running = campaigns.find((c) => c.period.from <= today && today <= c.period.to);
  if (running) return { ...running.period };
  const ended = campaigns.filter((c) => c.period.to < today).sort((a, b) => b.period.to.localeCompare(a.period.to))[0];
  if (ended) return { ...ended.period };
  const month = today.slice(0, 7);
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(lastDay).padStart(2, '0')}` };
}

/** What someone asked a report to cover: days typed in, a campaign, or nothing (the default period). */
export interface PeriodRequest {
  from?: string | undefined;
  to?: string | undefined;
  campaign?: string | undefined;
}

export type PeriodChoice = { ok: true; period: ReportPeriod; campaign?: Campaign } | { ok: false; problem: 'period' | 'order' | 'campaign' };

/**
 * Days typed in win; else the campaign chosen; else the default (the campaign running or just ended). Half a period,
 * days in the wrong order or a campaign the library does not have are refused rather than guessed at.
 */
export function choosePeriod(request: PeriodRequest, campaigns: readonly Campaign[], today: string): PeriodChoice {
  const { from, to, campaign: id } = request;
  if ((from === undefined) !== (to === undefined)) return { ok: false, problem: 'period' };
  if (from !== undefined && to !== undefined) {
    if (from > to) return { ok: false, problem: 'order' };
    const named = campaigns.find((c) => c.id === id);
    return { ok: true, period: { from, to }, ...(named ? { campaign: named } : {}) };
  }
  if (id !== undefined) {
    const campaign = campaigns.find((c) => c.id === id);
    return campaign ? { ok: true, period: { ...campaign.period }, campaign } : { ok: false, problem: 'campaign' };
  }
  return { ok: true, period: defaultPeriod(campaigns, today) };
}

/**
 * The campaign the report is titled after: one whose period is exactly the report's. When several are (two plans
 * for the same Action Month), the one asked for, else the one the period's broadcasts drew most runs from, else the
 * first in the library's order.
 */
export function campaignCovering(campaigns: readonly Campaign[], period: ReportPeriod, runs: ReadonlyMap<string, number>, preferred?: string): Campaign | undefined {
  const covering = campaigns.filter((c) => c.period.from === period.from && c.period.to === period.to);
  const asked = covering.find((c) => c.id === preferred);
  if (asked) return asked;
  return covering.reduce<Campaign | undefined>((best, c) => (best === undefined || (runs.get(c.id) ?? 0) > (runs.get(best.id) ?? 0) ? c : best), undefined);
}

/** The first and last instant of the period on the ward's clock. */
export function periodBounds(period: ReportPeriod, timeZone: string): { first: Date; last: Date } {
  const first = dayBounds(period.from, timeZone);
  const last = dayBounds(period.to, timeZone);
  if (!first || !last) throw new RangeError(`not a period of real days: ${period.from}..${period.to}`);
  return { first: first.first, last: last.last };
}

/** Every day of the period, "YYYY-MM-DD". */
export function periodDays(period: ReportPeriod): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${period.from}T00:00:00Z`); at <= Date.parse(`${period.to}T00:00:00Z`); at += DAY_MS) {
    days.push(new Date(at).toISOString().slice(0, 10));
  }
  return days;
}
