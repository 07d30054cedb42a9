import type { Platform } from '../channels/channel.js';
import { splitText } from '../channels/outbound/split-text.js';
import { MAX_TEXT_LENGTH } from '../channels/platform-limits.js';
import { SUPPORTED_LOCALES, type Locale } from '../platform/config.js';
import { wallClock } from '../platform/time-zone.js';
import type { BroadcastsDeps } from './broadcasts.js';
import { occurrenceId } from './fan-out.js';
import type { GroupSkip, Occurrence, Schedule } from './schemas.js';
import { resolveTargets } from './targets.js';
import { fireTimes, inQuietHours } from './when.js';

export interface PreviewText {
  item: string;
  locale: Locale;
  platform: Platform;
  /** The messages as the platform will show them: long text is split exactly as the outbound layer splits it. */
  parts: string[];
}

/** The exact text per item, platform and language; a rotation shows every item it may send. */
export async function preview(schedule: Schedule, deps: BroadcastsDeps, platforms: readonly Platform[]): Promise<PreviewText[]> {
  const { content } = schedule;
  const day = schedule.timing.kind === 'once' ? wallClock(new Date(schedule.timing.at), deps.timeZone).date : undefined;
  const fixed = deps.content.fixedItem(content);
  const items = fixed !== undefined ? [fixed] : content.kind === 'rotation' ? deps.content.rotationCandidates(content.campaign, content.topic, day) : [];
  const reached = [...new Set((await resolveTargets(schedule.target, deps.groups)).send.map((g) => g.platform))];
  const shown = reached.length > 0 ? reached : platforms;
  const texts: PreviewText[] = [];
  for (const item of items) {
    for (const locale of SUPPORTED_LOCALES) {
      const text = deps.content.render(content, item, locale);
      if (text === undefined) continue;
      for (const platform of shown) texts.push({ item, locale, platform, parts: splitText(text, MAX_TEXT_LENGTH[platform]) });
    }
  }
  return texts;
}

export interface DryRunRow {
  groupId: string;
  name?: string;
  platform?: Platform;
  item?: string;
  skip?: GroupSkip;
}

export interface DryRun {
  at?: string;
  /** Why the whole occurrence would not go out, if it would not. */
  skip?: Occurrence['reason'];
  rows: DryRunRow[];
}

/** Who would get what at the next (or the given) occurrence; nothing is recorded or sent. */
export async function dryRun(schedule: Schedule, deps: BroadcastsDeps, at?: Date): Promise<DryRun> {
  const when = at ?? fireTimes(schedule.timing, deps.now(), 1)[0];
  if (!when) return { rows: [] };
  const local = wallClock(when, deps.timeZone);
  const skip: Occurrence['reason'] =
    schedule.status === 'cancelled' || schedule.status === 'finished' || schedule.status === 'paused'
      ? schedule.status
      : !schedule.urgent && inQuietHours(local.time, deps.quietHours)
        ? 'quiet-hours'
        : undefined;
  const { send, skipped } = await resolveTargets(schedule.target, deps.groups);
  const { content } = schedule;
  const items =
    content.kind === 'rotation'
      ? await deps.rotation.peek(occurrenceId(schedule.id, when, deps.timeZone), content.campaign, send.map((g) => g.id), deps.content.rotationCandidates(content.campaign, content.topic, local.date))
      : new Map(send.map((g) => [g.id, deps.content.fixedItem(content)]));
  const rows: DryRunRow[] = send.map((g) => {
    const item = items.get(g.id);
    return { groupId: g.id, name: g.name, platform: g.platform, ...(item === undefined ? { skip: 'rotation-exhausted' as const } : { item }) };
  });
  for (const s of skipped) rows.push({ groupId: s.groupId, ...(s.skip ? { skip: s.skip } : {}) });
  return { at: when.toISOString(), ...(skip ? { skip } : {}), rows };
}
