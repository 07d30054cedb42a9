import { html, type SafeHtml } from '../../platform/http/html.js';

export interface Series {
  label: string;
  values: readonly number[];
}

export interface ColumnChart {
  title: string;
  /** Read out before the bars: what the chart shows and its total, for people who cannot see it. */
  summary: string;
  /** One label per column, e.g. "01/06". */
  columns: readonly string[];
  /** Stacked bottom to top in this order; every series has one value per column. */
  series: readonly Series[];
}

export interface ShareRow {
  label: string;
  part: number;
  whole: number;
}

/**
 * Colours that keep at least 3:1 against the white background (WCAG's rule for graphics) and stay apart for the
 * common colour-vision deficiencies (after Okabe and Ito); the legend and the table beside each chart carry the
 * numbers, so colour is never the only way to read them.
 */
export const SERIES_COLOURS = ['#0b5cad', '#c25400', '#1b7f4f', '#a8327e', '#5b5b5b', '#8a6d00', '#00758f'] as const;

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 12, right: 8, bottom: 28, left: 40 };

/** A round upper bound for the axis (1, 2 or 5 times a power of ten) so the grid lines fall on plain numbers. */
export function niceCeiling(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((f) => f * power >= max)!;
  return step * power;
}

/** Grid lines on whole numbers, since everything charted is a count: five steps, or one per unit below five. */
export function gridValues(top: number): number[] {
  const step = top <= 2 ? 1 : top / 5;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

/** Stacked columns, one per day or group, with four grid lines and every k-th label so they never overlap. */
export function columnChart(chart: ColumnChart): SafeHtml {
  const { columns, series } = chart;
  const totals = columns.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const top = niceCeiling(Math.max(0, ...totals));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, columns.length);
  const barW = Math.max(1, slot * 0.7);
  const y = (value: number) => PAD.top + plotH - (value / top) * plotH;
  const labelEvery = Math.max(1, Math.ceil(columns.length / 10));

  const grid = gridValues(top).map(
    (value) =>
      html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#d0d4da"/><text x="${PAD.left - 4}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value}</text>`,
  );
  const bars = columns.map((column, i) => {
    let base = 0;
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const pieces = series.map((s, k) => {
      const value = s.values[i] ?? 0;
      if (value === 0) return html``;
      const piece = html`<rect x="${x.toFixed(1)}" y="${y(base + value).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + value)).toFixed(1)}" fill="${SERIES_COLOURS[k % SERIES_COLOURS.length]}"><title>${column} · ${s.label}: ${value}</title></rect>`;
      base += value;
      return piece;
    });
    const label = i % labelEvery === 0 ? html`<text x="${(x + barW / 2).toFixed(1)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${column}</text>` : html``;
    return html`${pieces}${label}`;
  });
  return html`<figure class="chart"><figcaption>${chart.title}</figcaption>
<svg class="plot" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${chart.summary}" font-size="11" fill="#1d2733">${grid}${bars}</svg>
${legend(series.map((s) => s.label))}</figure>`;
}

/** Horizontal bars of a share (delivered out of attempted), longest list first, with the numbers on each row. */
export function shareChart(title: string, summary: string, rows: readonly ShareRow[]): SafeHtml {
  const rowH = 22;
  const labelW = 200;
  const barMax = WIDTH - labelW - 90;
  const height = Math.max(rowH, rows.length * rowH) + 4;
  const items = rows.map((row, i) => {
    const share = row.whole === 0 ? 0 : row.part / row.whole;
    const y = i * rowH + 2;
    const label = row.label.length > 30 ? `${row.label.slice(0, 29)}…` : row.label;
    return html`<text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${label}</text><rect x="${labelW}" y="${y + 3}" width="${barMax}" height="${rowH - 8}" fill="#eef0f3"/><rect x="${labelW}" y="${y + 3}" width="${(barMax * share).toFixed(1)}" height="${rowH - 8}" fill="${SERIES_COLOURS[share >= 0.95 ? 2 : share >= 0.8 ? 0 : 1]}"><title>${row.label}: ${row.part}/${row.whole}</title></rect><text x="${labelW + barMax + 6}" y="${y + 15}">${Math.round(share * 100)}% (${row.part}/${row.whole})</text>`;
  });
  return html`<figure class="chart"><figcaption>${title}</figcaption>
<svg class="plot" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${summary}" font-size="11" fill="#1d2733">${items}</svg></figure>`;
}

function legend(labels: readonly string[]): SafeHtml {
  if (labels.length < 2) return html``;
  return html`<ul class="legend">${labels.map((label, k) => html`<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${SERIES_COLOURS[k % SERIES_COLOURS.length]}"/></svg> ${label}</li>`)}</ul>`;
}
