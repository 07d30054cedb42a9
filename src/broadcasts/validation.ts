import { z } from 'zod';
import { MAX_TEXT_LENGTH } from '../channels/platform-limits.js';
import { isValidOn } from '../content/calendar-checks.js';
import { isPlaceholder, PLACEHOLDER_PATTERN } from '../content/render.js';
import type { GroupRegistry } from '../groups/group-registry.js';
import { SUPPORTED_LOCALES } from '../platform/config.js';
import { DomainError, type Problem } from '../platform/domain-error.js';
import { wallClock } from '../platform/time-zone.js';
import type { BroadcastContentSource } from './content-source.js';
import { newScheduleSchema, type BroadcastContent, type Target, type Timing } from './schemas.js';
import { resolveTargets } from './targets.js';
import { cronProblem, fireTimes, inQuietHours, parseWhen, type QuietHours } from './when.js';

export interface ValidationDeps {
  groups: GroupRegistry;
  content: BroadcastContentSource;
  timeZone: string;
  quietHours: QuietHours;
  now: () => Date;
}

/** Recurring schedules are checked over this many coming occurrences for quiet hours. */
const LOOK_AHEAD = 400;

export interface CheckedSchedule {
  title: string;
  timing: Timing;
  target: Target;
  content: BroadcastContent;
  urgent: boolean;
}

function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ field: issue.path.join('.') || 'input', key: 'broadcasts:problems.schema', params: { problem: issue.message } }));
}

/**
 * Checks a new schedule completely before anything is stored, and says precisely what is wrong with each field:
 * times that cannot be read or have passed, cron patterns, quiet hours, unknown content, empty targets, text too
 * long for a platform it would go to.
 */
export async function checkNewSchedule(input: unknown, deps: ValidationDeps): Promise<CheckedSchedule> {
  const parsed = newScheduleSchema.safeParse(input);
  if (!parsed.success) throw new DomainError('invalid', 'broadcasts:errors.invalid', {}, zodProblems(parsed.error));
  const { title, target, content, urgent } = parsed.data;
  const problems: Problem[] = [];
  const timing = checkTiming(parsed.data.timing, urgent, deps, problems);
  const platforms = await checkTarget(target, deps, problems);
  checkContent(content, timing, platforms, deps, problems);
  if (problems.length > 0 || !timing) throw new DomainError('invalid', 'broadcasts:errors.invalid', {}, problems);
  return { title, timing, target, content, urgent };
}

function checkTiming(input: z.infer<typeof newScheduleSchema>['timing'], urgent: boolean, deps: ValidationDeps, problems: Problem[]): Timing | undefined {
  const { timeZone, quietHours } = deps;
  const now = deps.now();
  const when = (field: string, text: string | undefined): Date | undefined => {
    if (text === undefined) return undefined;
    const at = parseWhen(text, timeZone);
    if (!at) problems.push({ field, key: 'broadcasts:problems.badTime', params: { value: text } });
    return at;
  };
  const quietProblem = (field: string, at: Date) => {
    const local = wallClock(at, timeZone);
    if (!urgent && inQuietHours(local.time, quietHours)) {
      problems.push({ field, key: 'broadcasts:problems.quietHours', params: { when: `${local.date} ${local.time}`, from: quietHours.from, to: quietHours.to } });
    }
  };

  if (input.kind === 'once') {
    const at = when('timing.at', input.at);
    if (!at) return undefined;
    if (at <= now) {
      problems.push({ field: 'timing.at', key: 'broadcasts:problems.pastTime', params: { value: input.at } });
      return undefined;
    }
    quietProblem('timing.at', at);
    return { kind: 'once', at: at.toISOString() };
  }

  const from = when('timing.from', input.from);
  const until = when('timing.until', input.until);
  const cron = cronProblem(input.pattern, timeZone);
  if (cron) problems.push({ field: 'timing.pattern', key: `broadcasts:problems.cron.${cron}`, params: { value: input.pattern } });
  if (until && until <= now) problems.push({ field: 'timing.until', key: 'broadcasts:problems.pastTime', params: { value: input.until! } });
  if (from && until && until <= from) problems.push({ field: 'timing.until', key: 'broadcasts:problems.untilBeforeFrom', params: {} });
  if (cron || (input.from && !from) || (input.until && !until) || problems.length > 0) return undefined;

  const timing: Timing = {
    kind: 'cron',
    pattern: input.pattern.trim().replace(/\s+/g, ' '),
    timeZone,
    ...(from ? { from: from.toISOString() } : {}),
    ...(until ? { until: until.toISOString() } : {}),
  };
  const times = fireTimes(timing, now, LOOK_AHEAD);
  if (times.length === 0) problems.push({ field: 'timing.pattern', key: 'broadcasts:problems.neverFires', params: { value: input.pattern } });
  const quiet = times.find((at) => !urgent && inQuietHours(wallClock(at, timeZone).time, quietHours));
  if (quiet) quietProblem('timing.pattern', quiet);
  return timing;
}

/** The platforms the target reaches now, for the text-length check. */
async function checkTarget(target: Target, deps: ValidationDeps, problems: Problem[]): Promise<Set<string>> {
  const { send, skipped } = await resolveTargets(target, deps.groups);
  const missing = skipped.filter((s) => s.skip === 'group-missing').map((s) => s.groupId);
  if (missing.length > 0) problems.push({ field: 'target.ids', key: 'broadcasts:problems.unknownGroups', params: { ids: missing.join(', ') } });
  else if (send.length === 0) problems.push({ field: 'target', key: 'broadcasts:problems.emptyTarget', params: {} });
  return new Set(send.map((g) => g.platform));
}

function checkContent(content: BroadcastContent, timing: Timing | undefined, platforms: Set<string>, deps: ValidationDeps, problems: Problem[]): void {
  const day = timing?.kind === 'once' ? wallClock(new Date(timing.at), deps.timeZone).date : undefined;
  if (content.kind !== 'text') {
    if (!deps.content.campaign(content.campaign)) {
      problems.push({ field: 'content.campaign', key: 'broadcasts:problems.unknownCampaign', params: { id: content.campaign } });
      return;
    }
    if (content.kind === 'message') {
      const message = deps.content.message(content.campaign, content.message);
      if (!message) problems.push({ field: 'content.message', key: 'broadcasts:problems.unknownMessage', params: { id: content.message, campaign: content.campaign } });
      else if (day && !isValidOn(message, day)) {
        problems.push({ field: 'content.message', key: 'broadcasts:problems.notValidOn', params: { id: message.id, date: day, from: message.valid_from ?? '…', to: message.valid_to ?? '…' } });
      }
    } else if (deps.content.rotationCandidates(content.campaign, content.topic, day).length === 0) {
      problems.push({ field: 'content.topic', key: 'broadcasts:problems.emptyRotation', params: { topic: content.topic, campaign: content.campaign, date: day ?? '—' } });
    }
    return;
  }
  for (const locale of SUPPORTED_LOCALES) {
    const raw = content.text[locale];
    for (const [, name] of (raw ?? '').matchAll(PLACEHOLDER_PATTERN)) {
      if (!isPlaceholder(name!)) problems.push({ field: `content.text.${locale}`, key: 'broadcasts:problems.unknownPlaceholder', params: { name: name! } });
    }
    const text = deps.content.render(content, undefined, locale) ?? '';
    for (const platform of platforms) {
      const max = MAX_TEXT_LENGTH[platform as keyof typeof MAX_TEXT_LENGTH];
      if ([...text].length > max) {
        problems.push({ field: `content.text.${locale}`, key: 'broadcasts:problems.tooLong', params: { length: [...text].length, max, platform } });
      }
    }
  }
}
