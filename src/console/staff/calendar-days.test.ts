import { describe, expect, it } from 'vitest';
import type { Schedule, Timing } from '../../broadcasts/schemas.js';
import type { CampaignContent, ContentLibrary, MessageItem } from '../../content/schemas.js';
import { calendarDays, FIRES_PER_DAY } from './calendar-days.js';

const HCM = 'Asia/Ho_Chi_Minh';

function message(id: string): MessageItem {
  return { id, topic: 'reporting', audience: ['residents'], tags: [], sources: [{ title: 'Kế hoạch' }], text: { vi: 'Tin', en: 'Text' } };
}

function campaign(id: string): CampaignContent {
  const name = { vi: 'Ngày toàn dân phòng, chống ma túy', en: 'National Day for Drug Prevention and Control' };
  return {
    campaign: {
      id,
      organisation: { vi: 'UBND phường', en: 'Ward' },
      name: { vi: 'Tháng hành động', en: 'Action Month' },
      theme: { vi: 'Chủ đề', en: 'Theme' },
      period: { from: '2026-06-01', to: '2026-06-30' },
      timezone: HCM,
      audiences: ['residents'],
      key_dates: [{ date: '2026-06-26', name }],
      milestones: [{ date: '2026-06-30', kind: 'report-deadline', name: { vi: 'Hạn báo cáo', en: 'Report due' } }],
      source: { vi: 'Kế hoạch', en: 'Plan' },
    },
    messages: [message('khai-mac'), message('nhac-hang-tuan'), { ...message('cuoi-thang'), valid_from: '2026-06-20' }],
    calendar: {
      default_time: '07:30',
      entries: [
        { date: '2026-06-01', message: 'khai-mac' },
        { date: '2026-06-06', at: '19:30', message: 'khai-mac' },
      ],
      weekly: [
        { weekday: 'thursday', at: '11:30', message: 'nhac-hang-tuan' },
        { weekday: 'friday', at: '08:00', message: 'cuoi-thang' },
      ],
    },
  };
}

function schedule(id: string, timing: Timing, content: Schedule['content'] = { kind: 'text', text: { vi: 'Thông báo' } }): Schedule {
  const at = '2026-05-01T00:00:00.000Z';
  return { id, title: `Lịch ${id}`, timing, target: { kind: 'all' }, content, urgent: false, status: 'approved', createdBy: 'lan', createdAt: at, updatedAt: at };
}

const library: ContentLibrary = { campaigns: [campaign('thang-hanh-dong'), campaign('kkt')], qa: [] };

describe('calendarDays', () => {
  it('puts a broadcast on its day on the ward clock, even when that is the next day in UTC', () => {
    const once = schedule('b-once', { kind: 'once', at: '2026-06-09T23:45:00.000Z' });
    const days = calendarDays({ month: '2026-06', library: { campaigns: [], qa: [] }, schedules: [once], timeZone: HCM });
    expect(days.get('2026-06-09')!.sends).toEqual([]);
    expect(days.get('2026-06-10')!.sends).toEqual([{ kind: 'broadcast', time: '06:45', schedule: { id: 'b-once', title: 'Lịch b-once', status: 'approved', content: once.content } }]);
    expect(calendarDays({ month: '2026-07', library: { campaigns: [], qa: [] }, schedules: [once], timeZone: HCM }).get('2026-07-10')!.sends).toEqual([]);
  });

  it('holds at most FIRES_PER_DAY of a schedule firing every minute, marks the day cut and leaves the other days alone', () => {
    const minutely = schedule('b-minutely', { kind: 'cron', pattern: '* * * * *', timeZone: HCM, from: '2026-06-14T17:00:00.000Z', until: '2026-06-15T16:59:00.000Z' });
    const days = calendarDays({ month: '2026-06', library: { campaigns: [], qa: [] }, schedules: [minutely], timeZone: HCM });
    const day = days.get('2026-06-15')!;
    expect(day.sends).toHaveLength(FIRES_PER_DAY);
    expect(day.sends[0]).toMatchObject({ time: '00:00' });
    expect(day.cut).toBe(true);
    expect([...days.values()].filter((d) => d.sends.length > 0)).toHaveLength(1);
  });

  it('lists the calendar entries, weekly ones only on valid days, and the marked days once for campaigns sharing them', () => {
    const days = calendarDays({ month: '2026-06', library: { campaigns: [campaign('thang-hanh-dong')], qa: [] }, schedules: [], timeZone: HCM });
    expect(days.get('2026-06-01')!.sends).toEqual([{ kind: 'planned', time: '07:30', campaign: 'thang-hanh-dong', message: 'khai-mac' }]);
    expect(days.get('2026-06-06')!.sends).toEqual([{ kind: 'planned', time: '19:30', campaign: 'thang-hanh-dong', message: 'khai-mac' }]);
    const thursdays = [...days].filter(([, d]) => d.sends.some((s) => s.kind === 'planned' && s.message === 'nhac-hang-tuan')).map(([date]) => date);
    expect(thursdays).toEqual(['2026-06-04', '2026-06-11', '2026-06-18', '2026-06-25']);
    const fridays = [...days].filter(([, d]) => d.sends.some((s) => s.kind === 'planned' && s.message === 'cuoi-thang')).map(([date]) => date);
    expect(fridays).toEqual(['2026-06-26']);

    const both = calendarDays({ month: '2026-06', library, schedules: [], timeZone: HCM });
    expect(both.get('2026-06-26')!.marks).toEqual([{ kind: 'key-date', name: campaign('x').campaign.key_dates[0]!.name }]);
    expect(both.get('2026-06-30')!.marks.map((m) => m.kind)).toEqual(['report-deadline']);
  });

  it('shows an entry imported as a broadcast once, as the broadcast, and orders a day by time', () => {
    const imported = schedule('thang-hanh-dong.20260601-0730.khai-mac', { kind: 'once', at: '2026-06-01T00:30:00.000Z' }, { kind: 'message', campaign: 'thang-hanh-dong', message: 'khai-mac' });
    const early = schedule('b-early', { kind: 'once', at: '2026-06-01T00:00:00.000Z' });
    const days = calendarDays({ month: '2026-06', library: { campaigns: [campaign('thang-hanh-dong')], qa: [] }, schedules: [imported, early], timeZone: HCM });
    expect(days.get('2026-06-01')!.sends.map((s) => [s.kind, s.time])).toEqual([
      ['broadcast', '07:00'],
      ['broadcast', '07:30'],
    ]);
  });
});
