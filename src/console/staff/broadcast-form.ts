import { z } from 'zod';
import type { Problem } from '../../platform/domain-error.js';

/**
 * The create form as posted. Every field is read as text and kept as typed, so a refused form comes back filled
 * in; whether the values make a schedule is for `Broadcasts.create` to say, field by field.
 */
const typed = z.string().catch('');
export const broadcastFormSchema = z.object({
  title: typed,
  timing: z.enum(['once', 'cron']).catch('once'),
  at: typed,
  pattern: typed,
  from: typed,
  until: typed,
  content: z.enum(['message', 'rotation', 'text']).catch('message'),
  campaign: typed,
  message: typed,
  topic: typed,
  textVi: typed,
  textEn: typed,
  target: z.enum(['all', 'tags', 'platform']).catch('all'),
  tags: typed,
  platform: typed,
  urgent: z.literal('on').optional().catch(undefined),
});
export type BroadcastForm = z.infer<typeof broadcastFormSchema>;
export type FormField = keyof BroadcastForm;

export const EMPTY_FORM: BroadcastForm = broadcastFormSchema.parse({});

const optional = <K extends string>(key: K, value: string) => (value.trim() === '' ? {} : ({ [key]: value } as Record<K, string>));

/**
 * The schedule the form asks for, in the shape `Broadcasts.create` checks; an unknown platform or topic is left
 * for that check to refuse, so the problem names the field like every other.
 */
export function scheduleInput(form: BroadcastForm): Record<string, unknown> {
  return {
    title: form.title,
    timing: form.timing === 'once' ? { kind: 'once', at: form.at } : { kind: 'cron', pattern: form.pattern, ...optional('from', form.from), ...optional('until', form.until) },
    target:
      form.target === 'all'
        ? { kind: 'all' }
        : form.target === 'tags'
          ? { kind: 'tags', tags: form.tags.split(/[\s,]+/).filter((tag) => tag !== '') }
          : { kind: 'platform', platform: form.platform },
    content:
      form.content === 'message'
        ? { kind: 'message', campaign: form.campaign, message: form.message }
        : form.content === 'rotation'
          ? { kind: 'rotation', campaign: form.campaign, topic: form.topic }
          : { kind: 'text', text: { vi: form.textVi, ...optional('en', form.textEn) } },
    urgent: form.urgent === 'on',
  };
}

/** Which input a problem with a schedule field belongs beside; the most specific path comes first. */
const FIELD_OF: readonly [string, FormField][] = [
  ['title', 'title'],
  ['timing.at', 'at'],
  ['timing.pattern', 'pattern'],
  ['timing.from', 'from'],
  ['timing.until', 'until'],
  ['timing', 'timing'],
  ['target.tags', 'tags'],
  ['target.platform', 'platform'],
  ['target', 'target'],
  ['content.campaign', 'campaign'],
  ['content.message', 'message'],
  ['content.topic', 'topic'],
  ['content.text.en', 'textEn'],
  ['content.text', 'textVi'],
  ['content', 'content'],
  ['urgent', 'urgent'],
];

export function formFieldOf(problem: Problem): FormField | undefined {
  return FIELD_OF.find(([path]) => problem.field === path || problem.field.startsWith(`${path}.`))?.[1];
}
