import type { Schedule, Timing } from '../../broadcasts/schemas.js';
import { fireTimes } from '../../broadcasts/when.js';
import { isValidOn } from '../../content/calendar-checks.js';
import type { CampaignContent, ContentLibrary, Localised, MILESTONE_KINDS } from '../../content/schemas.js';
import { dayBounds, wallClock } from '../../platform/time-zone.js';
import { daysOfMonth, weekdayOf, type Month } from './month-grid.js';

/** A day the campaign plan names: its key day (26/6), the start and end of the month, report deadlines. */
export interface DayMark {
  kind: 'key-date' | (typeof MILESTONE_KINDS)[number];
  name: Localised;
}

/** Something that goes out that day: a stored broadcast, or an entry of a campaign's calendar.yaml. */
export type DaySend =
  | { kind: 'broadcast'; time: string; schedule: Pick<Schedule, 'id' | 'title' | 'status' | 'content'> }
  | { kind: 'planned'; time: string; campaign: string; message: string };

type PlannedSend = Extract<DaySend, { kind: 'planned' }>;

export interface CalendarDay {
  marks: DayMark[];
  /** In time order. */
  sends: DaySend[];
  /** A schedule fires more often that day than `sends` holds, so any count of them is a lower bound. */
  cut: boolean;
}

/** A schedule firing every minute would fill a day with 1440 entries; a day holds at most this many of one schedule. */
export const FIRES_PER_DAY = 24;
const BATCH = 32;

export interface CalendarInput {
  month: Month;
  library: ContentLibrary;
  /** Every one given is shown, whatever its status: the caller leaves out what should not be. */
  schedules: readonly Schedule[];
  /** The ward's clock: a broadcast belongs to the day it fires on there. */
  timeZone: string;
}

/** The ward times a schedule fires from `first` to `last` by ward day, at most `FIRES_PER_DAY` a day, and the days cut short. */
function firesByDay(timing: Timing, first: Date, last: Date, timeZone: string): { byDay: Map<string, string[]>; cut: Set<string> } {
  const byDay = new Map<string, string[]>();
  const cut = new Set<string>();
  let after = new Date(first.getTime() - 1);
  for (;;) {
    const batch = fireTimes(timing, after, BATCH);
    let next = after;
    let skipped = false;
    for (const at of batch) {
      if (at > last) return { byDay, cut };
      const { date, time } = wallClock(at, timeZone);
      const times = byDay.get(date) ?? [];
      if (times.length === FIRES_PER_DAY) {
        // The rest of this day would only add to a count nobody reads in full: carry on from the next day.
        cut.add(date);
        next = dayBounds(date, timeZone)!.last;
        skipped = true;
        break;
      }
      times.push(time);
      byDay.set(date, times);
      next = at;
    }
    if (!skipped && batch.length < BATCH) return { byDay, cut };
    after = next;
  }
}

/** The dated and the weekly entries of a campaign's calendar that fall on these days. */
function plannedSends(content: CampaignContent, days: readonly string[]): Array<[string, PlannedSend]> {
  const { campaign, calendar, messages } = content;
  const campaignId = campaign.id;
  const inMonth = new Set(days);
  const planned: Array<[string, PlannedSend]> = calendar.entries
    .filter((entry) => inMonth.has(entry.date))
    .map((entry) => [entry.date, { kind: 'planned', time: entry.at ?? calendar.default_time, campaign: campaignId, message: entry.message }]);
  for (const day of days.filter((d) => d >= campaign.period.from && d <= campaign.period.to)) {
    for (const entry of calendar.weekly) {
      const message = messages.find((m) => m.id === entry.message);
      if (weekdayOf(day) === entry.weekday && message && isValidOn(message, day)) {
        planned.push([day, { kind: 'planned', time: entry.at, campaign: campaignId, message: entry.message }]);
      }
    }
  }
  return planned;
}

function campaignMarks(content: CampaignContent): Array<[string, DayMark]> {
  const { key_dates, milestones } = content.campaign;
  return [...key_dates.map((d): [string, DayMark] => [d.date, { kind: 'key-date', name: d.name }]), ...milestones.map((m): [string, DayMark] => [m.date, { kind: m.kind, name: m.name }])];
}

/** An entry imported as a broadcast (`importCalendar`) is shown once, as the broadcast that sends it. */
function sendsPlanned(send: DaySend, planned: PlannedSend): boolean {
  const content = send.kind === 'broadcast' ? send.schedule.content : undefined;
  return content?.kind === 'message' && content.campaign === planned.campaign && content.message === planned.message && send.time === planned.time;
}

const sendLabel = (send: DaySend): string => (send.kind === 'broadcast' ? send.schedule.title : send.message);

/** What each day of the month holds: the plan's marked days, and the broadcasts and planned messages that go out. */
export function calendarDays({ month, library, schedules, timeZone }: CalendarInput): Map<string, CalendarDay> {
  const days = daysOfMonth(month);
  const result = new Map<string, CalendarDay>(days.map((d) => [d, { marks: [], sends: [], cut: false }]));
  const first = dayBounds(days[0]!, timeZone)!.first;
  const last = dayBounds(days.at(-1)!, timeZone)!.last;
  for (const schedule of schedules) {
    const { byDay, cut } = firesByDay(schedule.timing, first, last, timeZone);
    const { id, title, status, content } = schedule;
    for (const [date, times] of byDay) result.get(date)?.sends.push(...times.map((time): DaySend => ({ kind: 'broadcast', time, schedule: { id, title, status, content } })));
    for (const date of cut) result.get(date)!.cut = true;
  }
  for (const content of library.campaigns) {
    for (const [date, send] of plannedSends(content, days)) {
      const day = result.get(date);
      if (day && !day.sends.some((s) => sendsPlanned(s, send))) day.sends.push(send);
    }
    for (const [date, mark] of campaignMarks(content)) {
      const day = result.get(date);
      // Campaigns of one plan share their key days: the 26/6 of two campaigns is one day to mark.
      if (day && !day.marks.some((m) => m.kind === mark.kind && m.name.vi === mark.name.vi)) day.marks.push(mark);
    }
  }
  for (const day of result.values()) day.sends.sort((a, b) => a.time.localeCompare(b.time) || sendLabel(a).localeCompare(sendLabel(b)));
  return result;
}
