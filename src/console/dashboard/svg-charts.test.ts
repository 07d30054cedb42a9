import { describe, expect, it } from 'vitest';
import { columnChart, gridValues, niceCeiling, shareChart } from './svg-charts.js';

const rects = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#[0-9a-f]{6})"><title>([^<]*)<\/title>/g)];

describe('SVG charts', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 180, 501, 0.4].map(niceCeiling)).toEqual([1, 1, 5, 10, 10, 20, 200, 1000, 0.5]);
  });

  it('puts grid lines on whole numbers', () => {
    expect([1, 2, 5, 10, 20, 50, 200].map(gridValues)).toEqual([[0, 1], [0, 1, 2], [0, 1, 2, 3, 4, 5], [0, 2, 4, 6, 8, 10], [0, 4, 8, 12, 16, 20], [0, 10, 20, 30, 40, 50], [0, 40, 80, 120, 160, 200]]);
  });

  it('stacks each column bottom to top with heights in proportion to the values', () => {
    const svg = columnChart({
      title: 'Tin nhắn mỗi ngày',
      summary: 'Tổng 15 tin',
      columns: ['01/06', '02/06'],
      series: [
        { label: 'Đã gửi', values: [4, 10] },
        { label: 'Lỗi', values: [1, 0] },
      ],
    }).value;
    const bars = rects(svg).map((m) => ({ y: Number(m[2]), h: Number(m[4]), fill: m[5], title: m[6] }));
    expect(bars.map((b) => b.title)).toEqual(['01/06 · Đã gửi: 4', '01/06 · Lỗi: 1', '02/06 · Đã gửi: 10']);
    // The axis tops at 10: ten is the full plot height, four is 0.4 of it, and the second piece sits on the first.
    const full = bars[2]!.h;
    expect(bars[0]!.h / full).toBeCloseTo(0.4, 2);
    expect(bars[1]!.h / full).toBeCloseTo(0.1, 2);
    expect(bars[1]!.y + bars[1]!.h).toBeCloseTo(bars[0]!.y, 1);
    expect(bars[0]!.fill).not.toBe(bars[1]!.fill);
    expect(svg).toContain('role="img" aria-label="Tổng 15 tin"');
    expect(svg).toContain('<li>');
  });

  it('labels at most about ten columns, so a month of days stays legible', () => {
    const days = Array.from({ length: 30 }, (_, i) => `${String(i + 1).padStart(2, '0')}/06`);
    const svg = columnChart({ title: 't', summary: 's', columns: days, series: [{ label: 'x', values: days.map(() => 1) }] }).value;
    const labels = [...svg.matchAll(/text-anchor="middle">([^<]+)</g)].map((m) => m[1]);
    expect(labels).toEqual(['01/06', '04/06', '07/06', '10/06', '13/06', '16/06', '19/06', '22/06', '25/06', '28/06']);
    expect(svg).not.toContain('<ul class="legend">');
  });

  it('escapes every label, since group names are typed by people', () => {
    const hostile = '<script>alert(1)</script>" onload="x';
    const svg = shareChart('Tỉ lệ', 'tóm tắt', [{ label: hostile, part: 3, whole: 4 }]).value + columnChart({ title: hostile, summary: hostile, columns: [hostile], series: [{ label: hostile, values: [1] }] }).value;
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('" onload="');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('draws a share as a bar of that fraction with the numbers beside it', () => {
    const svg = shareChart('t', 's', [
      { label: 'Tổ 1', part: 9, whole: 10 },
      { label: 'Tổ 2', part: 0, whole: 0 },
    ]).value;
    const widths = rects(svg).map((m) => Number(m[3]));
    expect(widths[0]! / 350).toBeCloseTo(0.9, 2);
    expect(widths[1]).toBe(0);
    expect(svg).toContain('90% (9/10)');
    expect(svg).toContain('0% (0/0)');
  });
});
