import type { Schedule } from '../../broadcasts/schemas.js';
import type { TFunction } from '../../platform/i18n.js';
import { wardTime } from './staff-page.js';

/** When a schedule fires, in one line. */
export function timingText(t: TFunction, schedule: Schedule, timeZone: string): string {
  const { timing } = schedule;
  if (timing.kind === 'once') return t('console:staff.timing.once', { at: wardTime(timing.at, timeZone) });
  return t('console:staff.timing.cron', { pattern: timing.pattern });
}

export function targetText(t: TFunction, schedule: Schedule): string {
  const { target } = schedule;
  switch (target.kind) {
    case 'all':
      return t('console:staff.target.all');
    case 'tags':
      return t('console:staff.target.tags', { tags: target.tags.join(', ') });
    case 'platform':
      return t('console:staff.target.platform', { platform: target.platform });
    case 'groups':
      return t('console:staff.target.groups', { count: target.ids.length });
  }
}

export function contentText(t: TFunction, schedule: Schedule): string {
  const { content } = schedule;
  switch (content.kind) {
    case 'message':
      return t('console:staff.content.message', { campaign: content.campaign, message: content.message });
    case 'rotation':
      return t('console:staff.content.rotation', { campaign: content.campaign, topic: content.topic });
    case 'text':
      return t('console:staff.content.text');
  }
}
