import type { Command } from 'commander';
import { z } from 'zod';
import type { BroadcastContentSource } from '../broadcasts/content-source.js';
import type { NewSchedule, Target } from '../broadcasts/schemas.js';
import { platformSchema, PLATFORMS } from '../channels/channel.js';
import { MESSAGE_TOPICS } from '../content/schemas.js';
import type { TFunction } from '../platform/i18n.js';
import { CliError } from './errors.js';

/** Where a message id is looked up when the operator gives no campaign. */
export type MessageLookup = Pick<BroadcastContentSource, 'campaignsWith'>;

export interface TargetFlags {
  all?: boolean;
  tags?: string;
  groups?: string;
  platform?: string;
}

export interface CreateFlags extends TargetFlags {
  title: string;
  at?: string;
  cron?: string;
  from?: string;
  until?: string;
  message?: string;
  campaign?: string;
  rotation?: string;
  text?: string;
  textEn?: string;
  urgent?: boolean;
}

/** The four ways to say who receives a broadcast, shared by `create` and `import-calendar`. */
export function targetOptions(command: Command, t: TFunction): Command {
  return command
    .option('--all', t('cli:broadcasts.target.all'))
    .option('--tags <tags>', t('cli:broadcasts.target.tags'))
    .option('--groups <ids>', t('cli:broadcasts.target.groups'))
    .option('--platform <platform>', t('cli:broadcasts.target.platform'));
}

const list = (spec: string) => spec.split(',').map((s) => s.trim()).filter(Boolean);

/** Exactly one of the named flags, with the message the operator gets when it is none or several. */
function exactlyOne<K extends keyof CreateFlags>(flags: CreateFlags, names: Record<K, string>, t: TFunction): K {
  const present = (Object.keys(names) as K[]).filter((k) => flags[k] !== undefined);
  if (present.length !== 1) throw new CliError(t('cli:broadcasts.create.exactlyOne', { options: Object.values(names).join(', ') }));
  return present[0]!;
}

function onlyWith(present: boolean, option: string, base: unknown, baseName: string, t: TFunction): void {
  if (present && base === undefined) throw new CliError(t('cli:broadcasts.create.onlyWith', { option, with: baseName }));
}

/** Every approved group unless told otherwise; the module checks that the tags, ids or platform reach one. */
export function targetFrom(flags: TargetFlags, t: TFunction): Target {
  const given = [flags.all ? 'all' : undefined, flags.tags, flags.groups, flags.platform].filter((v) => v !== undefined);
  if (given.length > 1) throw new CliError(t('cli:broadcasts.target.atMostOne'));
  if (flags.tags !== undefined) return { kind: 'tags', tags: list(flags.tags) };
  if (flags.groups !== undefined) return { kind: 'groups', ids: list(flags.groups) };
  if (flags.platform !== undefined) {
    const platform = platformSchema.safeParse(flags.platform);
    if (!platform.success) throw new CliError(t('cli:errors.invalidInput', { field: '--platform', problem: PLATFORMS.join(', ') }));
    return { kind: 'platform', platform: platform.data };
  }
  return { kind: 'all' };
}

function timingFrom(flags: CreateFlags, t: TFunction): NewSchedule['timing'] {
  const kind = exactlyOne(flags, { at: '--at', cron: '--cron' }, t);
  onlyWith(flags.from !== undefined, '--from', flags.cron, '--cron', t);
  onlyWith(flags.until !== undefined, '--until', flags.cron, '--cron', t);
  if (kind === 'at') return { kind: 'once', at: flags.at! };
  return { kind: 'cron', pattern: flags.cron!, ...(flags.from !== undefined ? { from: flags.from } : {}), ...(flags.until !== undefined ? { until: flags.until } : {}) };
}

/** A message's campaign, when the operator left it out: the one campaign that has a message with that id. */
function campaignOf(message: string, content: MessageLookup, t: TFunction): string {
  const campaigns = content.campaignsWith(message);
  if (campaigns.length === 0) throw new CliError(t('cli:broadcasts.create.messageNowhere', { id: message }));
  if (campaigns.length > 1) throw new CliError(t('cli:broadcasts.create.messageAmbiguous', { id: message, campaigns: campaigns.join(', ') }));
  return campaigns[0]!;
}

function contentFrom(flags: CreateFlags, content: MessageLookup, t: TFunction): NewSchedule['content'] {
  const kind = exactlyOne(flags, { message: '--message', rotation: '--rotation', text: '--text' }, t);
  onlyWith(flags.campaign !== undefined, '--campaign', flags.message, '--message', t);
  onlyWith(flags.textEn !== undefined, '--text-en', flags.text, '--text', t);
  if (kind === 'message') return { kind: 'message', campaign: flags.campaign ?? campaignOf(flags.message!, content, t), message: flags.message! };
  if (kind === 'text') return { kind: 'text', text: { vi: flags.text!, ...(flags.textEn !== undefined ? { en: flags.textEn } : {}) } };
  const [campaign, topic, ...rest] = flags.rotation!.split(':');
  const known = z.enum(MESSAGE_TOPICS).safeParse(topic);
  if (!campaign || !known.success || rest.length > 0) {
    throw new CliError(t('cli:broadcasts.create.badRotation', { value: flags.rotation!, topics: MESSAGE_TOPICS.join(', ') }));
  }
  return { kind: 'rotation', campaign, topic: known.data };
}

/**
 * Turns the command line into the input the broadcasts module checks. Only what the flags themselves can get
 * wrong is refused here; times, patterns, content and targets are the module's to judge, with its precise problems.
 */
export function newScheduleFrom(flags: CreateFlags, content: MessageLookup, t: TFunction): NewSchedule {
  return {
    title: flags.title,
    timing: timingFrom(flags, t),
    content: contentFrom(flags, content, t),
    target: targetFrom(flags, t),
    urgent: flags.urgent === true,
  };
}
