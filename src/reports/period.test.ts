import { describe, expect, it } from 'vitest';
import type { Campaign } from '../content/schemas.js';
import { nearestRank } from './percentile.js';
import { campaignCovering, choosePeriod, defaultPeriod, periodBounds, periodDays } from './period.js';
import { reportOptionsSchema } from './schemas.js';

const campaign = (id: string, from: string, to: string): Campaign => ({
  id,
  organisation: { vi: 'UBND', en: 'PC' },
  name: { vi: id, en: id },
  theme: { vi: 'chủ đề', en: 'theme' },
  period: { from, to },
  timezone: 'Asia/Ho_Chi_Minh',
  audiences: ['residents'],
  key_dates: [],
  milestones: [],
  source: { vi: 'nguồn', en: 'source' },
});
const june = campaign('2026-thang-hanh-dong', '2026-06-01', '2026-06-30');
const autumn = campaign('2026-mua-thu', '2026-09-15', '2026-10-15');

describe('the default period', () => {
  it('is the campaign running today', () => {
    expect(defaultPeriod([autumn, june], '2026-06-26')).toEqual({ from: '2026-06-01', to: '2026-06-30' });
    expect(defaultPeriod([june, autumn], '2026-10-01')).toEqual({ from: '2026-09-15', to: '2026-10-15' });
  });

  it('is the campaign that ended last when none is running, as reports are due just after one', () => {
    expect(defaultPeriod([june, autumn], '2026-07-01')).toEqual({ from: '2026-06-01', to: '2026-06-30' });
    expect(defaultPeriod([autumn, june], '2027-01-05')).toEqual({ from: '2026-09-15', to: '2026-10-15' });
  });

  it('is the month of today without any campaign behind it', () => {
    expect(defaultPeriod([autumn], '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(defaultPeriod([], '2028-02-29')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(defaultPeriod([], '2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});

describe('the campaign a report is titled after', () => {
  const twin = campaign('2026-kkt-hai-phong', '2026-06-01', '2026-06-30');
  const period = { from: '2026-06-01', to: '2026-06-30' };

  it('has exactly the report’s period', () => {
    expect(campaignCovering([june, autumn], { from: '2026-06-01', to: '2026-06-29' }, new Map())).toBeUndefined();
    expect(campaignCovering([autumn, june], period, new Map())?.id).toBe(june.id);
  });

  it('among twins, is the one asked for, else the one the broadcasts used most, else the first', () => {
    expect(campaignCovering([twin, june], period, new Map([[twin.id, 3]]), june.id)?.id).toBe(june.id);
    expect(campaignCovering([twin, june], period, new Map([[twin.id, 1], [june.id, 4]]))?.id).toBe(june.id);
    expect(campaignCovering([twin, june], period, new Map())?.id).toBe(twin.id);
  });
});

describe('a period on the ward’s clock', () => {
  it('runs from midnight of its first day to the last millisecond of its last, UTC+7', () => {
    expect(periodBounds({ from: '2026-06-01', to: '2026-06-30' }, 'Asia/Ho_Chi_Minh')).toEqual({
      first: new Date('2026-05-31T17:00:00.000Z'),
      last: new Date('2026-06-30T16:59:59.999Z'),
    });
  });

  it('lists its days, across a month end', () => {
    expect(periodDays({ from: '2026-06-29', to: '2026-07-02' })).toEqual(['2026-06-29', '2026-06-30', '2026-07-01', '2026-07-02']);
    expect(periodDays({ from: '2026-06-01', to: '2026-06-01' })).toEqual(['2026-06-01']);
  });
});

describe('the nearest-rank percentile', () => {
  it('is one of the values: the lower middle one for the median of an even count', () => {
    expect(nearestRank([], 0.5)).toBeUndefined();
    expect(nearestRank([7], 0.9)).toBe(7);
    expect(nearestRank([40, 10, 30, 20], 0.5)).toBe(20);
    expect(nearestRank([50, 10, 40, 20, 30], 0.5)).toBe(30);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
  });
});

describe('the report command’s options', () => {
  it('takes a period, a campaign or neither, and refuses half a period or both', () => {
    expect(reportOptionsSchema.parse({})).toEqual({ format: 'md' });
    expect(reportOptionsSchema.parse({ from: '2026-06-01', to: '2026-06-30', format: 'csv', out: 'out', lang: 'en' })).toMatchObject({ format: 'csv', lang: 'en' });
    const fields = (input: Record<string, unknown>) => reportOptionsSchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(fields({ from: '2026-06-01' })).toEqual(['to']);
    expect(fields({ from: '2026-06-30', to: '2026-06-01' })).toEqual(['to']);
    expect(fields({ campaign: '2026-thang-hanh-dong', from: '2026-06-01', to: '2026-06-30' })).toEqual(['campaign']);
    expect(fields({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['from']);
    expect(fields({ format: 'pdf', lang: 'fr' })).toEqual(['format', 'lang']);
  });
});

describe('choosing the period asked for', () => {
  const library = [june, autumn];

  it('takes days typed in over a campaign, keeping the campaign only to title the report', () => {
    expect(choosePeriod({ from: '2026-06-10', to: '2026-06-20', campaign: june.id }, library, '2026-11-30')).toEqual({ ok: true, period: { from: '2026-06-10', to: '2026-06-20' }, campaign: june });
    expect(choosePeriod({ from: '2026-06-10', to: '2026-06-20' }, library, '2026-11-30')).toEqual({ ok: true, period: { from: '2026-06-10', to: '2026-06-20' } });
  });

  it("takes a campaign's own period when no days are given", () => {
    expect(choosePeriod({ campaign: autumn.id }, library, '2026-06-15')).toEqual({ ok: true, period: autumn.period, campaign: autumn });
  });

  it('falls back to the default period when nothing is asked for', () => {
    expect(choosePeriod({}, library, '2026-07-02')).toEqual({ ok: true, period: june.period });
  });

  it('refuses half a period, days in the wrong order and an unknown campaign instead of guessing', () => {
    expect(choosePeriod({ from: '2026-06-10' }, library, '2026-07-02')).toEqual({ ok: false, problem: 'period' });
    expect(choosePeriod({ to: '2026-06-10' }, library, '2026-07-02')).toEqual({ ok: false, problem: 'period' });
    expect(choosePeriod({ from: '2026-06-20', to: '2026-06-10' }, library, '2026-07-02')).toEqual({ ok: false, problem: 'order' });
    expect(choosePeriod({ campaign: 'khong-co' }, library, '2026-07-02')).toEqual({ ok: false, problem: 'campaign' });
  });
});
