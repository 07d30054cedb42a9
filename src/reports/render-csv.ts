import type { TFunction } from '../platform/i18n.js';
import { reportSections, type Cell } from './report-tables.js';
import type { CampaignReport } from './schemas.js';

export interface CsvFile {
  /** e.g. "loaphuong-report-2026-06-01-2026-06-30-tips-by-category.csv" */
  name: string;
  content: string;
}

/**
 * A byte-order mark first: Excel reads a CSV file without one in the computer's legacy code page, which turns
 * Vietnamese letters into mojibake; with it, Excel reads UTF-8.
 */
export const UTF8_BOM = '\uFEFF';

/**
 * One field as RFC 4180 writes it: quoted when it holds a quote, comma or line break, with quotes doubled. Text that
 * a spreadsheet would run as a formula (a group named "=HYPERLINK(…)") is prefixed with an apostrophe first.
 */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Each table of the report as a CSV file of its own: a header row, then the rows, CRLF line ends, UTF-8 with BOM. */
export function renderCsv(report: CampaignReport, t: TFunction): CsvFile[] {
  const base = `loaphuong-report-${report.period.from}-${report.period.to}`;
  return reportSections(report, t)
    .flatMap((section) => section.tables)
    .map((table) => ({
      name: `${base}-${table.id}.csv`,
      content: UTF8_BOM + [table.header, ...table.rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join(''),
    }));
}
