import type { Locale } from '../platform/config.js';
import type { TFunction } from '../platform/i18n.js';
import { letterhead } from './letterhead.js';
import { reportSections, type Cell, type ReportTable } from './report-tables.js';
import type { CampaignReport } from './schemas.js';

/**
 * Text from outside (a group's name) must not turn into links, emphasis, raw HTML or extra table columns: every
 * character Markdown gives a meaning to is backslash-escaped, and line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]<>|#~&!]/g, (c) => `\\${c}`);
}

function cellMarkdown(cell: Cell, number: Intl.NumberFormat): string {
  if (cell === null) return '—';
  return typeof cell === 'number' ? number.format(cell) : escapeMarkdown(cell);
}

function tableMarkdown(table: ReportTable, n: number, number: Intl.NumberFormat): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  // Labels on the left, figures on the right, as in the printed tables.
  const align = table.header.map((_, i) => (table.rows.some((row) => typeof row[i] === 'number') ? '---:' : '---'));
  const last = table.rows.length - 1;
  return [
    `**${n}. ${escapeMarkdown(table.title)}**`,
    '',
    line(table.header.map(escapeMarkdown)),
    line(align),
    ...table.rows.map((row, i) => line(row.map((cell) => (table.total && i === last && cell !== null ? `**${cellMarkdown(cell, number)}**` : cellMarkdown(cell, number))))),
    '',
  ];
}

/** The report as Markdown, in the same order and wording as the printable page. */
export function renderMarkdown(report: CampaignReport, t: TFunction, locale: Locale): string {
  const head = letterhead(report, t, locale);
  const e = escapeMarkdown;
  const number = new Intl.NumberFormat(locale);
  let tables = 0;
  const lines = [
    `**${e(head.committee)}**  `,
    `**${e(head.ward)}**`,
    '',
    `**${e(head.nation)}**  `,
    `**${e(head.motto)}**`,
    '',
    e(head.number),
    '',
    `*${e(head.placeDate)}*`,
    '',
    `# ${e(head.title)}`,
    '',
    `**${e(head.subject)}**`,
    '',
    `*${e(head.period)}*`,
    '',
    e(head.intro),
    '',
    ...reportSections(report, t).flatMap((section) => [
      `## ${section.numeral}. ${e(section.heading)}`,
      '',
      e(section.summary),
      '',
      ...section.tables.flatMap((table) => tableMarkdown(table, ++tables, number)),
    ]),
    e(head.closing),
    '',
    `*${e(head.source)}*`,
    '',
    `***${e(head.recipients)}***`,
    '',
    ...head.recipientLines.map((line) => `- ${e(line)}`),
    '',
    `**${e(head.signerOnBehalf)}**  `,
    `**${e(head.signerTitle)}**  `,
    `*${e(head.signHint)}*`,
  ];
  return `${lines.join('\n')}\n`;
}
