export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A moment as the ward's clock shows it: "YYYY-MM-DD" and "HH:mm". */
export interface WallClock {
  date: string;
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

function fields(instant: Date, timeZone: string): Record<string, string> {
  return Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
}

export function wallClock(instant: Date, timeZone: string): WallClock {
  const f = fields(instant, timeZone);
  return { date: `${f.year}-${f.month}-${f.day}`, time: `${f.hour}:${f.minute}` };
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function offsetMs(instant: Date, timeZone: string): number {
  const f = fields(instant, timeZone);
  const asUtc = Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute), Number(f.second));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a wall-clock date and time names in a zone. Two passes settle the offset across a daylight-saving
 * change; Vietnam has none, but a ward may be configured elsewhere for testing.
 */
export function instantOf(date: string, time: string, timeZone: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`);
  const first = naive - offsetMs(new Date(naive), timeZone);
  return new Date(naive - offsetMs(new Date(first), timeZone));
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The first and the last moment of a calendar day on a zone's clock, for "from this day to that day" filters;
 * undefined when the date is not a real day (30 February).
 */
export function dayBounds(date: string, timeZone: string): { first: Date; last: Date } | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(midnightUtc) || new Date(midnightUtc).toISOString().slice(0, 10) !== date) return undefined;
  const nextDay = new Date(midnightUtc + DAY_MS).toISOString().slice(0, 10);
  return { first: instantOf(date, '00:00', timeZone), last: new Date(instantOf(nextDay, '00:00', timeZone).getTime() - 1) };
}

/** Local date stamp for ids and file names: 2026-06-26 07:00 → "20260626-0700". */
export function compactStamp({ date, time }: WallClock): string {
  return `${date.replaceAll('-', '')}-${time.replace(':', '')}`;
}
