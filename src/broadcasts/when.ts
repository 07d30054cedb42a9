import { CronExpressionParser } from 'cron-parser';
import { instantOf, wallClock } from '../platform/time-zone.js';
import type { Timing } from './schemas.js';

/** No sends after `from` or before `to` on the ward's clock; the window may wrap past midnight. */
export interface QuietHours {
  from: string;
  to: string;
}

/** The boundary minutes themselves are sending time, as in the content check: 21:00 may send, 21:01 may not. */
export function inQuietHours(time: string, quiet: QuietHours): boolean {
  return quiet.from > quiet.to ? time > quiet.from || time < quiet.to : time > quiet.from && time < quiet.to;
}

const WALL_CLOCK_INPUT = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/;

/**
 * Reads a time a person typed: a wall-clock "2026-06-26 07:00" on the ward's clock, or an ISO instant with its
 * offset. Impossible dates (30 February) are refused rather than rolled over.
 */
export function parseWhen(input: string, timeZone: string): Date | undefined {
  const local = WALL_CLOCK_INPUT.exec(input.trim());
  if (local) {
    const [, date, time] = local as unknown as [string, string, string];
    if (Number.isNaN(Date.parse(`${date}T${time}:00Z`))) return undefined;
    const instant = instantOf(date, time, timeZone);
    if (Number.isNaN(instant.getTime())) return undefined;
    const back = wallClock(instant, timeZone);
    return back.date === date && back.time === time ? instant : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(input.trim())) return undefined;
  const ms = Date.parse(input);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Why a cron pattern is unusable, or undefined when it is fine. Only five fields: minutes are the finest step. */
export function cronProblem(pattern: string, timeZone: string): string | undefined {
  if (pattern.trim().split(/\s+/).length !== 5) return 'five-fields';
  try {
    CronExpressionParser.parse(pattern, { tz: timeZone });
    return undefined;
  } catch {
    return 'syntax';
  }
}

/** The times a schedule fires after `after`, at most `limit` of them, within its own bounds. */
export function fireTimes(timing: Timing, after: Date, limit: number): Date[] {
  if (timing.kind === 'once') {
    const at = new Date(timing.at);
    return at > after ? [at] : [];
  }
  const from = timing.from ? new Date(timing.from) : undefined;
  const start = from && from > after ? new Date(from.getTime() - 1) : after;
  const until = timing.until ? Date.parse(timing.until) : Infinity;
  const times: Date[] = [];
  try {
    const expression = CronExpressionParser.parse(timing.pattern, { tz: timing.timeZone, currentDate: start });
    while (times.length < limit) {
      const next = expression.next().toDate();
      if (next.getTime() > until) break;
      times.push(next);
    }
  } catch {
    // A pattern that can never match (30 February) ends the search instead of failing the caller.
  }
  return times;
}
