import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isoDateSchema, kebabIdSchema, localisedSchema, MILESTONE_KINDS, type ContentLibrary } from '../content/schemas.js';

export const MILESTONE_KIND_NAMES = ['key-date', ...MILESTONE_KINDS] as const;

export const milestoneSchema = z.object({
  campaign: kebabIdSchema,
  campaignName: localisedSchema,
  date: isoDateSchema,
  kind: z.enum(MILESTONE_KIND_NAMES),
  name: localisedSchema,
});
export type Milestone = z.infer<typeof milestoneSchema>;
export type UpcomingMilestone = Milestone & { daysLeft: number };

/** Every dated point of every campaign (its key dates and its milestones), earliest first. */
export function campaignMilestones(library: ContentLibrary): Milestone[] {
  const all = library.campaigns.flatMap(({ campaign }) => {
    const of = { campaign: campaign.id, campaignName: campaign.name };
    return [
      ...campaign.key_dates.map((d) => ({ ...of, date: d.date, kind: 'key-date' as const, name: d.name })),
      ...campaign.milestones.map((m) => ({ ...of, date: m.date, kind: m.kind, name: m.name })),
    ];
  });
  return all.sort((a, b) => a.date.localeCompare(b.date) || a.campaign.localeCompare(b.campaign));
}

const DAY_MS = 24 * 3600 * 1000;

/** Whole calendar days from one ISO date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** What falls from `today` to `withinDays` days after it, with how many days are left. */
export function upcomingMilestones(milestones: readonly Milestone[], today: string, withinDays: number): UpcomingMilestone[] {
  return milestones.map((m) => ({ ...m, daysLeft: daysBetween(today, m.date) })).filter((m) => m.daysLeft >= 0 && m.daysLeft <= withinDays);
}

/**
 * Staff hear of a milestone a week, three days and one day ahead, and on the day. A notice belongs to the nearest of
 * these points not yet passed, so a service that was down on the day of one still tells staff the next morning.
 */
export const NOTICE_LEAD_DAYS = [7, 3, 1, 0] as const;

export function noticeLead(daysLeft: number): number | undefined {
  return daysLeft < 0 ? undefined : [...NOTICE_LEAD_DAYS].reverse().find((lead) => lead >= daysLeft);
}

/** A name that stays the same however the file is reordered, so the same notice is never sent twice. */
export function milestoneKey(m: Milestone): string {
  const name = createHash('sha256').update(m.name.vi).digest('hex').slice(0, 10);
  return `${m.campaign}.${m.date}.${m.kind}.${name}`;
}
