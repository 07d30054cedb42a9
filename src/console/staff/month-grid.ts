import { z } from 'zod';
import { WEEKDAYS } from '../../content/schemas.js';
import { wallClock } from '../../platform/time-zone.js';

/** "YYYY-MM"; years before 2000 are refused because `Date.UTC` reads years 0–99 as 1900–1999. */
export const monthSchema = z.string().regex(/^[2-9]\d{3}-(?:0[1-9]|1[0-2])$/);
export type Month = z.infer<typeof monthSchema>;

/** A calendar week, Monday first: the month's dates ("YYYY-MM-DD"), undefined for days of the months around it. */
export type Week = readonly (string | undefined)[];

const parts = (month: Month): [number, number] => month.split('-').map(Number) as [number, number];
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The month a ward day belongs to. */
export function monthOf(date: string): Month {
  return date.slice(0, 7);
}

/** The month on the ward's clock at that instant. */
export function monthAt(instant: Date, timeZone: string): Month {
  return monthOf(wallClock(instant, timeZone).date);
}

/** The month `delta` months before (negative) or after. */
export function shiftMonth(month: Month, delta: number): Month {
  const [year, mon] = parts(month);
  return isoDay(Date.UTC(year, mon - 1 + delta, 1)).slice(0, 7);
}

/** Monday = 0 … Sunday = 6, as the columns of the grid and `WEEKDAYS` are ordered. */
export function weekdayIndex(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function weekdayOf(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[weekdayIndex(date)]!;
}

/** Every date of the month, in order. */
export function daysOfMonth(month: Month): string[] {
  const [year, mon] = parts(month);
  const count = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => isoDay(Date.UTC(year, mon - 1, i + 1)));
}

/** The month as weeks of seven days, Monday first, padded at both ends so every week is whole. */
export function monthGrid(month: Month): Week[] {
  const days = daysOfMonth(month);
  const cells: (string | undefined)[] = [...Array<undefined>(weekdayIndex(days[0]!)).fill(undefined), ...days];
  while (cells.length % 7 !== 0) cells.push(undefined);
  const weeks: Week[] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}
