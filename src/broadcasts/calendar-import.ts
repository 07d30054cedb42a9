import { WEEKDAYS } from '../content/schemas.js';
import { DomainError, type Problem } from '../platform/domain-error.js';
import { compactStamp, instantOf } from '../platform/time-zone.js';
import type { Broadcasts } from './broadcasts.js';
import type { Actor } from '../accounts/actor.js';
import { ensureAllowed } from './permissions.js';
import type { NewSchedule, Schedule, Target } from './schemas.js';

export interface CalendarImport {
  created: Schedule[];
  /** Ids a previous import already made: importing twice changes nothing. */
  existing: string[];
  /** Entries whose time has already passed. */
  past: number;
  rejected: { id: string; problems: readonly Problem[] }[];
}

/** cron's day-of-week numbers, Sunday = 0. */
const CRON_WEEKDAY: Record<(typeof WEEKDAYS)[number], number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 0 };

interface Planned {
  id: string;
  input: NewSchedule;
  /** When the entry stops mattering: its time for a dated entry, the campaign's end for a weekly one. */
  lastAt: Date;
}

/**
 * Turns a campaign's calendar into draft schedules in one step: a one-off per dated entry and a recurring schedule
 * per weekly entry within the campaign's period. Ids come from the campaign, time and message, so a second import
 * adds only what is new. Drafts still need an approver.
 */
export async function importCalendar(broadcasts: Broadcasts, campaignId: string, target: Target, actor: Actor): Promise<CalendarImport> {
  ensureAllowed(actor, 'change');
  const { deps } = broadcasts;
  const content = deps.content.campaign(campaignId);
  if (!content) throw new DomainError('not-found', 'broadcasts:errors.campaignNotFound', { id: campaignId });
  const { campaign, calendar } = content;
  const zone = campaign.timezone;
  const messageContent = (message: string) => ({ kind: 'message' as const, campaign: campaignId, message });

  const planned: Planned[] = calendar.entries.map((entry) => {
    const time = entry.at ?? calendar.default_time;
    const at = instantOf(entry.date, time, zone);
    return {
      id: `${campaignId}.${compactStamp({ date: entry.date, time })}.${entry.message}`,
      input: { title: `${entry.date} ${time} · ${entry.message}`, timing: { kind: 'once', at: at.toISOString() }, target, content: messageContent(entry.message) },
      lastAt: at,
    };
  });
  const from = instantOf(campaign.period.from, '00:00', zone);
  const until = instantOf(campaign.period.to, '23:59', zone);
  for (const entry of calendar.weekly) {
    const [hh, mm] = entry.at.split(':');
    planned.push({
      id: `${campaignId}.weekly-${entry.weekday}-${entry.at.replace(':', '')}.${entry.message}`,
      input: {
        title: `${entry.weekday} ${entry.at} · ${entry.message}`,
        timing: { kind: 'cron', pattern: `${Number(mm)} ${Number(hh)} * * ${CRON_WEEKDAY[entry.weekday]}`, from: from.toISOString(), until: until.toISOString() },
        target,
        content: messageContent(entry.message),
      },
      lastAt: until,
    });
  }

  const result: CalendarImport = { created: [], existing: [], past: 0, rejected: [] };
  const now = deps.now();
  for (const { id, input, lastAt } of planned) {
    if (lastAt <= now) {
      result.past += 1;
      continue;
    }
    try {
      const created = await broadcasts.create(input, actor, { id, origin: `calendar:${campaignId}` });
      if (created) result.created.push(created);
      else result.existing.push(id);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
      result.rejected.push({ id, problems: err.problems });
    }
  }
  return result;
}
