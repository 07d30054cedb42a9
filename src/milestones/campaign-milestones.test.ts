import { describe, expect, it } from 'vitest';
import type { ContentLibrary } from '../content/schemas.js';
import { campaignMilestones, daysBetween, milestoneKey, noticeLead, upcomingMilestones } from './campaign-milestones.js';

const named = (vi: string) => ({ vi, en: `${vi} (en)` });

function library(): ContentLibrary {
  const campaign = (id: string, key: string[], milestones: Array<{ date: string; kind: 'report-deadline' | 'event' }>) => ({
    campaign: {
      id,
      organisation: named('UBND'),
      name: named(`Chiến dịch ${id}`),
      theme: named('Chủ đề'),
      period: { from: '2026-06-01', to: '2026-06-30' },
      timezone: 'Asia/Ho_Chi_Minh',
      audiences: ['residents' as const],
      key_dates: key.map((date) => ({ date, name: named(`Ngày ${date}`) })),
      milestones: milestones.map((m) => ({ ...m, name: named(`Mốc ${m.date}`) })),
      source: named('Kế hoạch'),
    },
    messages: [],
    calendar: { default_time: '07:00', entries: [], weekly: [] },
  });
  return {
    campaigns: [
      campaign('kkt', [], [{ date: '2026-07-05', kind: 'report-deadline' }, { date: '2026-07-01', kind: 'report-deadline' }]),
      campaign('phuong', ['2026-06-26'], [{ date: '2026-06-01', kind: 'event' }]),
    ],
    qa: [],
  };
}

describe('campaign milestones', () => {
  it('lists key dates and milestones of every campaign, earliest first', () => {
    expect(campaignMilestones(library()).map((m) => [m.date, m.campaign, m.kind])).toEqual([
      ['2026-06-01', 'phuong', 'event'],
      ['2026-06-26', 'phuong', 'key-date'],
      ['2026-07-01', 'kkt', 'report-deadline'],
      ['2026-07-05', 'kkt', 'report-deadline'],
    ]);
  });

  it('counts calendar days across month ends and backwards', () => {
    expect(daysBetween('2026-06-26', '2026-07-01')).toBe(5);
    expect(daysBetween('2026-06-30', '2026-06-30')).toBe(0);
    expect(daysBetween('2026-07-05', '2026-06-26')).toBe(-9);
  });

  it('keeps what falls from today to the horizon, today and the horizon included', () => {
    const upcoming = upcomingMilestones(campaignMilestones(library()), '2026-06-26', 5);
    expect(upcoming.map((m) => [m.date, m.daysLeft])).toEqual([
      ['2026-06-26', 0],
      ['2026-07-01', 5],
    ]);
  });

  it('files each day left under the nearest notice point not yet passed', () => {
    expect([8, 7, 6, 4, 3, 2, 1, 0, -1].map(noticeLead)).toEqual([undefined, 7, 7, 7, 3, 3, 1, 0, undefined]);
  });

  it('names a milestone by what it is, not by where it sits in the file', () => {
    const [first, ...rest] = campaignMilestones(library());
    const keys = campaignMilestones(library()).map(milestoneKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(milestoneKey(first!)).toBe(milestoneKey({ ...first! }));
    expect(rest.map(milestoneKey)).not.toContain(milestoneKey(first!));
    expect(milestoneKey(first!)).toMatch(/^[A-Za-z0-9_.-]+$/);
  });
});
