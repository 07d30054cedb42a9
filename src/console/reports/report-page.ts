import type { Campaign } from '../../content/schemas.js';
import { html, SafeHtml } from '../../platform/http/html.js';
import { reportDocument, REPORT_CSS } from '../../reports/render-html.js';
import type { CampaignReport } from '../../reports/schemas.js';
import { layout, type ConsolePage } from '../auth/login-page.js';
import { REPORTS_PATH } from '../dashboard/console-areas.js';
import type { ReportQuery } from './report-query.js';

export const EXPORT_PATH = `${REPORTS_PATH}/export`;

export interface ReportPageView {
  query: ReportQuery;
  campaigns: readonly Campaign[];
  /** Absent when the form was refused. */
  report?: CampaignReport;
  /** The CSV files' names, in the report's table order. */
  csvNames: readonly string[];
  problem?: string;
}

const PAGE_STYLE = `body{max-width:60rem;margin:0 auto;background:#f6f7f9}
.report-form{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;align-items:end}
.report-form select,.report-form input{font:inherit;padding:.5rem;border:1px solid #8a929c;border-radius:.4rem;width:100%;box-sizing:border-box}
.exports{display:flex;flex-wrap:wrap;gap:.5rem 1rem;padding:0;list-style:none}
.report{background:#fff;border:1px solid #d0d4da;padding:1.5rem;margin:1rem auto}
@media print{header,.no-print{display:none}body{max-width:none;background:#fff;padding:0}.report{border:0;padding:0;margin:0}}`;

/** A link to one export of the same report, in the page's language. */
function exportLink(page: ConsolePage, query: ReportQuery, params: Record<string, string>): string {
  const values: Record<string, string> = { lang: page.locale };
  for (const field of ['campaign', 'from', 'to'] as const) if (query[field] !== undefined) values[field] = query[field]!;
  Object.assign(values, params);
  return `${EXPORT_PATH}?${new URLSearchParams(values).toString()}`;
}

export function reportPage(page: ConsolePage, view: ReportPageView): string {
  const { t, locale } = page;
  const { query, report } = view;
  const form = html`<form method="get" action="${REPORTS_PATH}" class="report-form no-print">
<input type="hidden" name="lang" value="${locale}">
<div><label for="campaign">${t('console:reports.campaign')}</label>
<select id="campaign" name="campaign"><option value="">${t('console:reports.defaultPeriod')}</option>${view.campaigns.map(
    (c) => html`<option value="${c.id}"${query.campaign === c.id ? html` selected` : ''}>${c.name[locale]} (${c.period.from} – ${c.period.to})</option>`,
  )}</select></div>
<div><label for="from">${t('console:reports.from')}</label><input id="from" name="from" type="date" value="${query.from ?? ''}"></div>
<div><label for="to">${t('console:reports.to')}</label><input id="to" name="to" type="date" value="${query.to ?? ''}"></div>
<div><button type="submit">${t('console:reports.show')}</button></div>
</form>
<p class="hint no-print">${t('console:reports.hint')}</p>`;
  const exports = report
    ? html`<h2 class="no-print">${t('console:reports.exports')}</h2>
<ul class="exports no-print">
<li><a href="${exportLink(page, query, { format: 'html' })}">${t('console:reports.printable')}</a></li>
<li><a href="${exportLink(page, query, { format: 'md' })}">${t('console:reports.markdown')}</a></li>
${view.csvNames.map((name, i) => html`<li><a href="${exportLink(page, query, { format: 'csv', table: String(i + 1) })}">${name}</a></li>`)}
</ul>
${reportDocument(report, t, locale)}`
    : html``;
  return layout(
    page,
    t('console:reports.title'),
    REPORTS_PATH,
    html`<style>${new SafeHtml(REPORT_CSS + PAGE_STYLE)}</style>
<h1 class="no-print">${t('console:reports.title')}</h1>
${view.problem ? html`<p class="problem" role="alert">${view.problem}</p>` : ''}
${form}
${exports}`,
  );
}
