import type { DeliveryRow, OccurrenceSummary } from '../broadcasts/delivery-report.js';
import type { DryRun, PreviewText } from '../broadcasts/preview.js';
import type { BroadcastContent, Occurrence, Schedule, Target, Timing } from '../broadcasts/schemas.js';
import type { TFunction } from '../platform/i18n.js';
import { wallClock } from '../platform/time-zone.js';
import { formatTable } from './table.js';

/** An instant as the ward's clock shows it, the way operators type times: "2026-06-26 07:00". */
export function wardTime(instant: string | Date, timeZone: string): string {
  const { date, time } = wallClock(new Date(instant), timeZone);
  return `${date} ${time}`;
}

export function nextTimes(t: TFunction, next: readonly string[], timeZone: string): string {
  return next.length === 0 ? t('cli:broadcasts.none') : next.map((at) => wardTime(at, timeZone)).join(', ');
}

export function timingSummary(t: TFunction, timing: Timing, timeZone: string): string {
  if (timing.kind === 'once') return t('cli:broadcasts.summary.once', { at: wardTime(timing.at, timeZone) });
  return [
    t('cli:broadcasts.summary.cron', { pattern: timing.pattern }),
    ...(timing.from ? [t('cli:broadcasts.summary.from', { at: wardTime(timing.from, timeZone) })] : []),
    ...(timing.until ? [t('cli:broadcasts.summary.until', { at: wardTime(timing.until, timeZone) })] : []),
  ].join(' ');
}

/** Long id lists are cut short: the table stays readable and `show` has the whole target. */
export function targetSummary(t: TFunction, target: Target, short = false): string {
  switch (target.kind) {
    case 'all':
      return t('cli:broadcasts.summary.all');
    case 'tags':
      return t('cli:broadcasts.summary.tags', { tags: target.tags.join(',') });
    case 'platform':
      return t('cli:broadcasts.summary.platform', { platform: target.platform });
    case 'groups': {
      const ids = short && target.ids.length > 3 ? [...target.ids.slice(0, 3), `… (+${target.ids.length - 3})`] : target.ids;
      return t('cli:broadcasts.summary.groups', { ids: ids.join(',') });
    }
  }
}

function contentSummary(t: TFunction, content: BroadcastContent): string {
  if (content.kind === 'message') return t('cli:broadcasts.summary.message', { message: content.message, campaign: content.campaign });
  if (content.kind === 'rotation') return t('cli:broadcasts.summary.rotation', { topic: content.topic, campaign: content.campaign });
  return t('cli:broadcasts.summary.text');
}

/** Labels padded to one column, values beside them. */
function fields(pairs: [string, string][]): string[] {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${value}`);
}

export function scheduleLines(t: TFunction, schedule: Schedule, next: readonly string[], timeZone: string): string[] {
  const by = (at: string, name: string) => t('cli:broadcasts.show.by', { at: wardTime(at, timeZone), name });
  const pairs: [string, string][] = [
    [t('cli:broadcasts.show.id'), schedule.id],
    [t('cli:broadcasts.show.title'), schedule.title],
    [t('cli:broadcasts.show.status'), t(`broadcasts:status.${schedule.status}`)],
    [t('cli:broadcasts.show.when'), timingSummary(t, schedule.timing, timeZone)],
    [t('cli:broadcasts.show.to'), targetSummary(t, schedule.target)],
    [t('cli:broadcasts.show.content'), contentSummary(t, schedule.content)],
    [t('cli:broadcasts.show.urgent'), t(schedule.urgent ? 'cli:broadcasts.yes' : 'cli:broadcasts.no')],
    ...(schedule.origin ? [[t('cli:broadcasts.show.origin'), schedule.origin] as [string, string]] : []),
    [t('cli:broadcasts.show.created'), by(schedule.createdAt, schedule.createdBy)],
    ...(schedule.approvedAt && schedule.approvedBy ? [[t('cli:broadcasts.show.approved'), by(schedule.approvedAt, schedule.approvedBy)] as [string, string]] : []),
    [t('cli:broadcasts.show.next'), nextTimes(t, next, timeZone)],
  ];
  return fields(pairs);
}

/** Each text under a heading naming item, language and platform; a text the platform splits shows each part. */
export function previewLines(t: TFunction, texts: readonly PreviewText[]): string[] {
  if (texts.length === 0) return [t('cli:broadcasts.preview.empty')];
  return texts.flatMap(({ item, locale, platform, parts }, index) => [
    ...(index > 0 ? [''] : []),
    `── ${item} · ${locale} · ${platform} ──`,
    ...parts.flatMap((part, i) => (parts.length > 1 ? [t('cli:broadcasts.preview.part', { n: i + 1, total: parts.length }), part] : [part])),
  ]);
}

export function dryRunLines(t: TFunction, run: DryRun, timeZone: string): string[] {
  if (!run.at) return [t('cli:broadcasts.dryRun.noNext')];
  const lines = [t('cli:broadcasts.dryRun.when', { at: wardTime(run.at, timeZone) })];
  if (run.skip) lines.push(t('cli:broadcasts.dryRun.skipAll', { reason: t(`broadcasts:skip.${run.skip}`) }));
  const rows = run.rows.map((r) => [r.groupId, r.name ?? '', r.platform ?? '', r.item ?? '', r.skip ? t(`broadcasts:skip.${r.skip}`) : '']);
  return [...lines, ...formatTable(t('cli:broadcasts.dryRun.header').split('|'), rows)];
}

/** Queued and sending deliveries are still on their way: one "pending" count for both. */
export function occurrenceTable(t: TFunction, occurrences: readonly (Occurrence & { summary: OccurrenceSummary })[], timeZone: string): string[] {
  if (occurrences.length === 0) return [t('cli:broadcasts.status.empty')];
  const rows = occurrences.map(({ id, at, status, reason, summary: s }) => [
    id,
    wardTime(at, timeZone),
    t(`cli:broadcasts.status.occurrence.${status}`) + (reason ? ` (${t(`broadcasts:skip.${reason}`)})` : ''),
    ...[s.targeted, s.sent, s.failed, s.skipped, s.unknown, s.queued + s.sending].map(String),
  ]);
  return formatTable(t('cli:broadcasts.status.header').split('|'), rows);
}

export function deliveryTable(t: TFunction, rows: readonly DeliveryRow[]): string[] {
  if (rows.length === 0) return [t('cli:broadcasts.status.noGroups')];
  const cells = rows.map((r) => [r.groupId, r.item ?? '', t(`cli:broadcasts.status.delivery.${r.status}`), r.skip ? t(`broadcasts:skip.${r.skip}`) : (r.reason ?? '')]);
  return formatTable(t('cli:broadcasts.status.groupsHeader').split('|'), cells);
}
