import type { TFunction } from '../platform/i18n.js';
import type { Problems } from './problems.js';
import { WEEKDAYS, type Calendar, type Campaign, type MessageItem } from './schemas.js';
import type { YamlSource } from './yaml-source.js';

/** The default quiet hours end at 06:30 and start after 21:00; nothing is scheduled inside them. */
export const SENDING_HOURS = { from: '06:30', to: '21:00' } as const;

function withinSendingHours(time: string): boolean {
  return time >= SENDING_HOURS.from && time <= SENDING_HOURS.to;
}

export function isValidOn(message: MessageItem, date: string): boolean {
  return (message.valid_from === undefined || message.valid_from <= date) && (message.valid_to === undefined || date <= message.valid_to);
}

function weekdayOf(date: string): (typeof WEEKDAYS)[number] {
  // Monday first, as in WEEKDAYS; getUTCDay() starts on Sunday.
  return WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
}

function daysOf(period: Campaign['period']): string[] {
  const days: string[] = [];
  for (let day = new Date(`${period.from}T00:00:00Z`); day.toISOString().slice(0, 10) <= period.to; day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

export interface CalendarContext {
  file: string;
  source: YamlSource;
  campaign: Campaign;
  /** Every id a message file of the campaign declares or is named after, valid or not. */
  declaredIds: ReadonlySet<string>;
  /** The messages that passed their own checks. */
  messages: ReadonlyMap<string, MessageItem>;
  problems: Problems;
  t: TFunction;
}

/** Checks the calendar against its campaign and returns it with only the entries that can be sent. */
export function checkCalendar(calendar: Calendar, ctx: CalendarContext): Calendar {
  const { file, source, campaign, problems, t } = ctx;
  const { from, to } = campaign.period;
  const hours = { from: SENDING_HOURS.from, to: SENDING_HOURS.to };
  if (!withinSendingHours(calendar.default_time)) {
    problems.error(file, source.lineOf(['default_time']), t('content:problems.outsideHours', { time: calendar.default_time, ...hours }));
  }

  /** Reports an unknown id; a declared but broken message was reported in its own file. */
  const known = (id: string, line: number): MessageItem | undefined => {
    if (!ctx.declaredIds.has(id)) problems.error(file, line, t('content:problems.unknownMessage', { id, campaign: campaign.id }));
    return ctx.messages.get(id);
  };

  const entries = calendar.entries.filter((entry, i) => {
    const line = source.lineOf(['entries', i]);
    const before = problems.list.length;
    if (entry.date < from || entry.date > to) problems.error(file, line, t('content:problems.dateOutsidePeriod', { date: entry.date, from, to }));
    if (entry.at !== undefined && !withinSendingHours(entry.at)) problems.error(file, line, t('content:problems.outsideHours', { time: entry.at, ...hours }));
    const message = known(entry.message, line);
    if (message && !isValidOn(message, entry.date)) {
      problems.error(file, line, t('content:problems.notValidOn', { id: entry.message, date: entry.date, from: message.valid_from ?? from, to: message.valid_to ?? to }));
    }
    return message !== undefined && problems.list.length === before;
  });

  const days = daysOf(campaign.period);
  const weekly = calendar.weekly.filter((entry, i) => {
    const line = source.lineOf(['weekly', i]);
    const before = problems.list.length;
    if (!withinSendingHours(entry.at)) problems.error(file, line, t('content:problems.outsideHours', { time: entry.at, ...hours }));
    const message = known(entry.message, line);
    if (message && !days.some((day) => weekdayOf(day) === entry.weekday && isValidOn(message, day))) {
      problems.error(file, line, t('content:problems.weeklyNeverSent', { id: entry.message, weekday: entry.weekday, from, to }));
    }
    return message !== undefined && problems.list.length === before;
  });

  return { default_time: calendar.default_time, entries, weekly };
}
