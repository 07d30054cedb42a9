import type { TFunction } from '../platform/i18n.js';
import { TIP_CATEGORIES } from '../tips/schemas.js';
import { REPORT_TIP_STATUSES, type CampaignReport, type DeliveryCounts } from './schemas.js';

/** A number, a label, or nothing to show (no tip acted on yet has no median). */
export type Cell = string | number | null;

export interface ReportTable {
  /** Stable and language-free: CSV file names are made of it. */
  id: string;
  title: string;
  header: string[];
  rows: Cell[][];
  /** The last row adds up the others. */
  total: boolean;
}

export interface ReportSection {
  numeral: 'I' | 'II' | 'III';
  heading: string;
  summary: string;
  tables: ReportTable[];
}

const OUTCOMES = ['planned', 'sent', 'failed', 'skipped', 'pending'] as const;
const outcomes = (c: DeliveryCounts): number[] => OUTCOMES.map((k) => c[k]);
const minutes = (seconds: number | undefined): number | null => (seconds === undefined ? null : Math.round(seconds / 60));
const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);

function outcomeHeader(t: TFunction): string[] {
  return [t('reports:columns.planned'), t('reports:columns.sent'), t('reports:columns.failed'), t('reports:columns.skipped'), t('reports:columns.pending')];
}

function broadcastTables(report: CampaignReport, t: TFunction): ReportTable[] {
  const { runs, runSkips, deliveries, byTopic, byGroup } = report.broadcasts;
  const measure = [t('reports:columns.measure'), t('reports:columns.count')];
  const skipRows = Object.entries(runSkips)
    .filter(([, n]) => n > 0)
    .map(([reason, n]): Cell[] => [t('reports:runs.skippedBecause', { reason: t(`reports:skips.${reason}`) }), n]);
  const { groups } = report;
  return [
    {
      id: 'broadcast-runs',
      total: false,
      title: t('reports:tables.runs'),
      header: measure,
      rows: [
        [t('reports:runs.planned'), runs.planned],
        [t('reports:runs.done'), runs.done],
        [t('reports:runs.skipped'), runs.skipped],
        ...skipRows,
        [t('reports:runs.inProgress'), runs.inProgress],
        [t('reports:runs.upcoming'), runs.upcoming],
      ],
    },
    {
      id: 'broadcasts-by-topic',
      total: true,
      title: t('reports:tables.byTopic'),
      header: [t('reports:columns.topic'), t('reports:columns.runs'), ...outcomeHeader(t)],
      rows: [
        ...byTopic.map((row): Cell[] => [t(`reports:topics.${row.topic}`), row.runs, ...outcomes(row)]),
        [t('reports:total'), sum(byTopic.map((r) => r.runs)), ...outcomes(deliveries)],
      ],
    },
    {
      id: 'broadcasts-by-group',
      total: true,
      title: t('reports:tables.byGroup'),
      header: [t('reports:columns.group'), t('reports:columns.platform'), ...outcomeHeader(t)],
      rows: [
        ...byGroup.map((row): Cell[] => [
          row.name ?? t('reports:groups.unknown', { id: row.groupId }),
          row.platform ? t(`reports:platforms.${row.platform}`) : null,
          ...outcomes(row),
        ]),
        [t('reports:total'), null, ...outcomes(deliveries)],
      ],
    },
    {
      id: 'groups',
      total: false,
      title: t('reports:tables.groups'),
      header: measure,
      rows: [
        [t('reports:groups.approved'), groups.approved],
        [t('reports:groups.reached'), groups.reached],
        [t('reports:groups.reachedShare'), groups.approved === 0 ? null : Math.round((100 * groups.reached) / groups.approved)],
        [t('reports:groups.pending'), groups.pending],
        [t('reports:groups.paused'), groups.paused],
        [t('reports:groups.removed'), groups.removed],
      ],
    },
  ];
}

function questionTable(report: CampaignReport, t: TFunction): ReportTable {
  const q = report.questions;
  return {
    id: 'questions',
    total: false,
    title: t('reports:tables.questions'),
    header: [t('reports:columns.measure'), t('reports:columns.count')],
    rows: [
      [t('reports:questions.answeredAutomatically'), q.answeredAutomatically],
      [t('reports:questions.unanswered'), q.passedToStaff.unanswered],
      [t('reports:questions.asked'), q.passedToStaff.asked],
      [t('reports:questions.answeredByStaff'), q.answeredByStaff],
      [t('reports:questions.stillOpen'), q.stillOpen],
    ],
  };
}

function tipTables(report: CampaignReport, t: TFunction): ReportTable[] {
  const { byCategory, byStatus, firstAction, replies, received } = report.tips;
  return [
    {
      id: 'tips-by-category',
      total: true,
      title: t('reports:tables.tipCategories'),
      header: [t('reports:columns.category'), t('reports:columns.tips')],
      rows: [...TIP_CATEGORIES.map((c): Cell[] => [t(`reports:categories.${c}`), byCategory[c]]), [t('reports:total'), received]],
    },
    {
      id: 'tips-by-status',
      total: true,
      title: t('reports:tables.tipStatuses'),
      header: [t('reports:columns.status'), t('reports:columns.tips')],
      rows: [...REPORT_TIP_STATUSES.map((s): Cell[] => [t(`reports:statuses.${s}`), byStatus[s]]), [t('reports:total'), received]],
    },
    {
      id: 'tips-handling',
      total: false,
      title: t('reports:tables.tipHandling'),
      header: [t('reports:columns.measure'), t('reports:columns.value')],
      rows: [
        [t('reports:handling.acted'), firstAction.acted],
        [t('reports:handling.waiting'), firstAction.waiting],
        [t('reports:handling.median'), minutes(firstAction.medianSeconds)],
        [t('reports:handling.p90'), minutes(firstAction.p90Seconds)],
        [t('reports:handling.replies'), replies.sent],
        [t('reports:handling.repliesToChat'), replies.toChat],
      ],
    },
  ];
}

/** The report as numbered sections of tables, worded in one language: what every export lays out. */
export function reportSections(report: CampaignReport, t: TFunction): ReportSection[] {
  const b = report.broadcasts;
  const q = report.questions;
  const tips = report.tips;
  return [
    {
      numeral: 'I',
      heading: t('reports:sections.broadcasts'),
      summary: t('reports:summaries.broadcasts', { done: b.runs.done, planned: b.runs.planned, sent: b.deliveries.sent, reached: report.groups.reached, approved: report.groups.approved }),
      tables: broadcastTables(report, t),
    },
    {
      numeral: 'II',
      heading: t('reports:sections.questions'),
      summary: t('reports:summaries.questions', { automatic: q.answeredAutomatically, passed: q.passedToStaff.unanswered + q.passedToStaff.asked, staff: q.answeredByStaff }),
      tables: [questionTable(report, t)],
    },
    {
      numeral: 'III',
      heading: t('reports:sections.tips'),
      summary: t('reports:summaries.tips', { received: tips.received, acted: tips.firstAction.acted, replies: tips.replies.sent }),
      tables: tipTables(report, t),
    },
  ];
}
