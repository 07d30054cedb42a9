import { z } from 'zod';
import type { Campaign } from '../../content/schemas.js';
import { isoDateSchema } from '../../content/schemas.js';
import { defaultPeriod } from '../../reports/period.js';
import { REPORT_FORMATS, type ReportPeriod } from '../../reports/schemas.js';

const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);

/** The report page's form: a campaign's period, or days typed in; both left empty means the default period. */
export const reportQuerySchema = z.object({
  campaign: z.preprocess(blankIsAbsent, z.string().max(100).optional()),
  from: z.preprocess(blankIsAbsent, isoDateSchema.optional()),
  to: z.preprocess(blankIsAbsent, isoDateSchema.optional()),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const exportQuerySchema = z.object({
  format: z.enum(REPORT_FORMATS),
  /** Which CSV table, by its place in the report (1 = the first). */
  table: z.coerce.number().int().min(1).max(100).optional(),
});

export type PeriodChoice = { ok: true; period: ReportPeriod; campaign?: Campaign } | { ok: false; problem: 'period' | 'order' | 'campaign' };

/**
 * Days typed in win; else the campaign chosen; else the default (the campaign running or just ended). Half a period,
 * days in the wrong order or a campaign the library does not have are refused rather than guessed at.
 */
export function choosePeriod(query: ReportQuery, campaigns: readonly Campaign[], today: string): PeriodChoice {
  const { from, to, campaign: id } = query;
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
