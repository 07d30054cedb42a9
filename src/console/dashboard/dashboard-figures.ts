import type { Role } from '../../accounts/schemas.js';
import { campaignMilestones, upcomingMilestones, type UpcomingMilestone } from '../../milestones/campaign-milestones.js';
import { wallClock } from '../../platform/time-zone.js';
import { reportWithDaily } from '../../reports/campaign-report.js';
import type { ReportSources } from '../../reports/sources.js';
import type { DashboardView } from './dashboard-page.js';

/** The charts cover the last four weeks and a few days up to today, so a whole month of work shows at once. */
export const CHARTED_DAYS = 30;
export const MILESTONE_HORIZON_DAYS = 45;
/** Figures are read again at most this often: every home page view would otherwise walk every broadcast and tip. */
const FRESH_FOR_MS = 60_000;

const DAY_MS = 24 * 3600 * 1000;
const SEES_BROADCASTS: readonly Role[] = ['staff', 'approver', 'admin'];
/** Ward staff never see tips, not even counted per day and category, which in a small ward can tell a lot. */
const SEES_TIPS: readonly Role[] = ['police', 'admin'];

type Figures = Omit<DashboardView, 'user'>;

/** What each role's home page charts, computed once for all roles and kept for a minute. */
export class DashboardFigures {
  private cached: { at: number; figures: Figures } | undefined;

  constructor(private readonly sources: ReportSources) {}

  async forRole(role: Role): Promise<Figures> {
    const { days, messages, tips, groups, milestones } = await this.all();
    return {
      days,
      milestones,
      ...(SEES_BROADCASTS.includes(role) ? { messages, groups } : {}),
      ...(SEES_TIPS.includes(role) ? { tips } : {}),
    };
  }

  private async all(): Promise<Figures> {
    const now = this.sources.now();
    if (this.cached && now.getTime() - this.cached.at < FRESH_FOR_MS) return this.cached.figures;
    const { timeZone, library } = this.sources;
    const today = wallClock(now, timeZone).date;
    const from = wallClock(new Date(now.getTime() - (CHARTED_DAYS - 1) * DAY_MS), timeZone).date;
    const { report, daily } = await reportWithDaily(this.sources, { from, to: today });
    const milestones: UpcomingMilestone[] = upcomingMilestones(campaignMilestones(library), today, MILESTONE_HORIZON_DAYS);
    const figures: Figures = {
      days: daily.days,
      messages: { sent: daily.sent, failed: daily.failed },
      tips: daily.tips,
      groups: report.broadcasts.byGroup.map((g) => ({ name: g.name ?? g.groupId, sent: g.sent, failed: g.failed })),
      milestones,
    };
    this.cached = { at: now.getTime(), figures };
    return figures;
  }
}
