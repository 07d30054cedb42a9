import type { Locale } from '../platform/config.js';
import { html, SafeHtml } from '../platform/http/html.js';
import type { TFunction } from '../platform/i18n.js';
import { letterhead } from './letterhead.js';
import { reportSections, type Cell, type ReportTable } from './report-tables.js';
import type { CampaignReport } from './schemas.js';

/**
 * A printed administrative document: A4 with 2 cm margins, a Times New Roman-like serif, black on white. Everything
 * but the page itself is scoped to `.report`, so a page showing the report in its own layout can serve this too.
 */
export const REPORT_CSS = `
@page { size: A4; margin: 2cm; }
body { margin: 0; background: #fff; }
.report { margin: 0 auto; max-width: 17cm; padding: 1cm 0; font-family: "Times New Roman", Times, "Liberation Serif", "Nimbus Roman", "DejaVu Serif", serif; font-size: 13pt; line-height: 1.35; color: #000; background: #fff; }
@media print { .report { max-width: none; padding: 0; } }
.report p { margin: 0 0 6pt; text-align: justify; }
.report .letterhead { display: grid; grid-template-columns: 2fr 3fr; column-gap: 0.5cm; margin-bottom: 12pt; font-size: 12pt; }
.report .letterhead p { margin: 0; text-align: center; }
.report .letterhead .nation p { white-space: nowrap; }
.report .letterhead hr { width: 35%; border: 0; border-top: 1px solid #000; margin: 2pt auto 6pt; }
.report .letterhead .nation hr { width: 50%; }
.report .strong { font-weight: bold; }
.report .place-date { font-style: italic; }
.report h1 { margin: 18pt 0 12pt; font-size: 14pt; text-align: center; }
.report h1 span { display: block; }
.report h1 .period { font-weight: normal; font-style: italic; font-size: 13pt; }
.report h2 { margin: 12pt 0 6pt; font-size: 13pt; }
.report table.figures { width: 100%; margin: 0 0 12pt; border-collapse: collapse; }
.report .figures caption { caption-side: top; padding-bottom: 3pt; text-align: left; font-weight: bold; font-style: italic; }
.report .figures thead { display: table-header-group; }
.report .figures tr { break-inside: avoid; }
.report .figures th, .report .figures td { border: 1px solid #000; padding: 2pt 5pt; vertical-align: top; }
.report .figures th { text-align: center; }
.report .figures td.number, .report .figures td.none { text-align: right; }
.report .figures tr.total td { font-weight: bold; }
.report .signature { display: grid; grid-template-columns: 1fr 1fr; margin-top: 18pt; break-inside: avoid; }
.report .signature p { margin: 0; text-align: left; }
.report .recipients { font-size: 11pt; }
.report .recipients .label { font-size: 12pt; font-weight: bold; font-style: italic; }
.report .signer p { text-align: center; }
.report .signer .hint { font-style: italic; margin-bottom: 2.5cm; }
`;

function cellHtml(cell: Cell, number: Intl.NumberFormat): SafeHtml {
  if (cell === null) return html`<td class="none">—</td>`;
  if (typeof cell === 'number') return html`<td class="number">${number.format(cell)}</td>`;
  return html`<td>${cell}</td>`;
}

function tableHtml(table: ReportTable, n: number, number: Intl.NumberFormat): SafeHtml {
  const last = table.rows.length - 1;
  return html`<table class="figures" id="${table.id}">
<caption>${n}. ${table.title}</caption>
<thead><tr>${table.header.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>
${table.rows.map((row, i) => html`<tr${table.total && i === last ? html` class="total"` : ''}>${row.map((cell) => cellHtml(cell, number))}</tr>\n`)}</tbody>
</table>
`;
}

/** The report's document alone (letterhead, sections, signature) in an `.report` article, for a page with its own `<head>`. */
export function reportDocument(report: CampaignReport, t: TFunction, locale: Locale): SafeHtml {
  const head = letterhead(report, t, locale);
  const number = new Intl.NumberFormat(locale);
  let tables = 0;
  const sections = reportSections(report, t).map(
    (section) => html`<section>
<h2>${section.numeral}. ${section.heading}</h2>
<p>${section.summary}</p>
${section.tables.map((table) => tableHtml(table, ++tables, number))}</section>
`,
  );
  return html`<article class="report">
<header class="letterhead">
<div class="issuer"><p>${head.committee}</p><p class="strong">${head.ward}</p><hr></div>
<div class="nation"><p class="strong">${head.nation}</p><p class="strong">${head.motto}</p><hr></div>
<p>${head.number}</p>
<p class="place-date">${head.placeDate}</p>
</header>
<h1><span>${head.title}</span><span>${head.subject}</span><span class="period">${head.period}</span></h1>
<p>${head.intro}</p>
${sections}<p>${head.closing}</p>
<p><em>${head.source}</em></p>
<footer class="signature">
<div class="recipients"><p class="label">${head.recipients}</p>${head.recipientLines.map((line) => html`<p>- ${line}</p>`)}</div>
<div class="signer"><p class="strong">${head.signerOnBehalf}</p><p class="strong">${head.signerTitle}</p><p class="hint">${head.signHint}</p></div>
</footer>
</article>
`;
}

/** The report as a printable A4 page laid out like a Vietnamese administrative report; every value is escaped. */
export function renderHtml(report: CampaignReport, t: TFunction, locale: Locale): string {
  const head = letterhead(report, t, locale);
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${head.title} — ${head.subject}</title>
<style>${new SafeHtml(REPORT_CSS)}</style>
</head>
<body>
${reportDocument(report, t, locale)}</body>
</html>
`.value;
}
