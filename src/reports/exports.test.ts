import { beforeAll, describe, expect, it } from 'vitest';
import { createTranslator, type Translator } from '../platform/i18n.js';
import { csvField, renderCsv, UTF8_BOM } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { escapeMarkdown, renderMarkdown } from './render-markdown.js';
import { reportSections } from './report-tables.js';
import { campaignReportSchema, type CampaignReport } from './schemas.js';

/** A group name written to break out of every format: HTML, Markdown tables, CSV quoting and spreadsheet formulas. */
const HOSTILE = '=HYPERLINK("http://x","<b>Tổ 5</b>") | *nhóm*, "A"\nB';

const report: CampaignReport = campaignReportSchema.parse({
  period: { from: '2026-06-01', to: '2026-06-30', timeZone: 'Asia/Ho_Chi_Minh' },
  generatedAt: '2026-07-01T02:05:00.000Z',
  ward: { name: 'phường Lê Chân', nameEn: 'Le Chan Ward' },
  campaign: { id: '2026-thang-hanh-dong', name: { vi: 'Tháng hành động phòng, chống ma túy năm 2026', en: '2026 Action Month for Drug Prevention and Control' } },
  broadcasts: {
    runs: { planned: 12, done: 9, skipped: 2, inProgress: 0, upcoming: 1 },
    runSkips: { paused: 1, cancelled: 0, draft: 0, finished: 0, 'quiet-hours': 1, missing: 0 },
    deliveries: { planned: 1234, sent: 1200, failed: 20, skipped: 10, pending: 4 },
    byTopic: [
      { topic: 'synthetic-drugs', runs: 7, planned: 1000, sent: 980, failed: 10, skipped: 8, pending: 2 },
      { topic: 'announcement', runs: 5, planned: 234, sent: 220, failed: 10, skipped: 2, pending: 2 },
    ],
    byGroup: [
      { groupId: 'g-0000000001', name: HOSTILE, platform: 'zalo', planned: 1200, sent: 1180, failed: 20, skipped: 0, pending: 0 },
      { groupId: 'g-0000000002', name: 'Tổ dân phố số 7', platform: 'telegram', planned: 34, sent: 20, failed: 0, skipped: 10, pending: 4 },
      { groupId: 'g-0000000003', planned: 0, sent: 0, failed: 0, skipped: 0, pending: 0 },
    ],
  },
  groups: { approved: 2, reached: 2, pending: 1, paused: 0, removed: 1 },
  questions: { answeredAutomatically: 310, passedToStaff: { unanswered: 12, asked: 5 }, answeredByStaff: 15, stillOpen: 2 },
  tips: {
    received: 9,
    byCategory: { trade: 4, 'use-place': 2, online: 1, disguised: 1, other: 1 },
    byStatus: { new: 1, triaged: 1, 'in-progress': 2, closed: 3, spam: 1, duplicate: 0, purged: 1 },
    firstAction: { acted: 7, waiting: 1, medianSeconds: 5430, p90Seconds: 86_400 },
    replies: { sent: 6, toChat: 4 },
  },
});

let translator: Translator;
beforeAll(async () => {
  translator = await createTranslator('vi');
});

/** RFC 4180, strictly: fields separated by commas, records by CRLF, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') (field += '"'), i++;
        else if (text[i] === '"') break;
        else field += text[i];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    fields.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.slice(i, i + 2) !== '\r\n') throw new Error(`expected CRLF at ${i}`);
    records.push(fields);
    fields = [];
    i += 2;
    if (i === text.length) return records;
  }
}

const asText = (cell: string | number | null) => (cell === null ? '' : String(cell));

describe('the CSV export', () => {
  it('writes one file per table that parses back to exactly the table, UTF-8 with a BOM', () => {
    const t = translator.t('vi');
    const files = renderCsv(report, t);
    const tables = reportSections(report, t).flatMap((s) => s.tables);
    expect(files.map((f) => f.name)).toEqual(tables.map((table) => `loaphuong-report-2026-06-01-2026-06-30-${table.id}.csv`));
    files.forEach((file, n) => {
      expect(file.content.startsWith(UTF8_BOM)).toBe(true);
      const table = tables[n]!;
      const expected = [table.header, ...table.rows.map((row) => row.map(asText))].map((row) => row.map((cell) => (cell.startsWith('=') ? `'${cell}` : cell)));
      expect(parseCsv(file.content.slice(UTF8_BOM.length)), table.id).toEqual(expected);
    });
    expect(files.find((f) => f.name.endsWith('-broadcasts-by-group.csv'))!.content).toContain(`"'=HYPERLINK(""http://x"",""<b>Tổ 5</b>"") | *nhóm*, ""A""\nB",Zalo,1200,`);
  });

  it('quotes only what needs quoting, and defuses text a spreadsheet would run as a formula', () => {
    expect([csvField('Tổ 1'), csvField('a,b'), csvField('say "hi"'), csvField('x\r\ny'), csvField(null), csvField(42)]).toEqual(['Tổ 1', '"a,b"', '"say ""hi"""', '"x\r\ny"', '', '42']);
    expect(['=1+1', '+1', '-1', '@SUM(A1)'].map(csvField)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)"]);
  });
});

describe('the printable HTML page', () => {
  it('is laid out like an administrative report: header, title, sections I–III with every table, signature', () => {
    const t = translator.t('vi');
    const page = renderHtml(report, t, 'vi');
    expect(page).toMatch(/^<!doctype html>\n<html lang="vi">/);
    expect(page).toContain('@page { size: A4; margin: 2cm; }');
    expect(page).toContain('"Times New Roman"');
    expect(page).toContain('<p>ỦY BAN NHÂN DÂN</p><p class="strong">PHƯỜNG LÊ CHÂN</p>');
    expect(page).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(page).toContain('Độc lập - Tự do - Hạnh phúc');
    // 09:05 on 1 July on the ward's clock; a zero before days under 10, none before July.
    expect(page).toContain('<p class="place-date">Lê Chân, ngày 01 tháng 7 năm 2026</p>');
    expect(page).toContain('<span>BÁO CÁO</span><span>Kết quả thực hiện Tháng hành động phòng, chống ma túy năm 2026 trên hệ thống Loa Phường</span>');
    expect(page).toContain('(Từ ngày 01/06/2026 đến ngày 30/06/2026)');
    const sections = reportSections(report, t);
    for (const section of sections) expect(page).toContain(`<h2>${section.numeral}. ${section.heading}</h2>`);
    expect(sections.map((s) => s.numeral)).toEqual(['I', 'II', 'III']);
    const tables = sections.flatMap((s) => s.tables);
    expect(tables.map((table) => table.id)).toEqual(['broadcast-runs', 'broadcasts-by-topic', 'broadcasts-by-group', 'groups', 'questions', 'tips-by-category', 'tips-by-status', 'tips-handling']);
    tables.forEach((table, n) => expect(page).toContain(`<table class="figures" id="${table.id}">\n<caption>${n + 1}. ${table.title}</caption>`));
    expect(page.match(/<table class="figures"/g)).toHaveLength(tables.length);
    expect(page).toContain('TM. ỦY BAN NHÂN DÂN');
    expect(page).toContain('Nơi nhận:');
  });

  it('escapes what it did not write, and formats figures for the reader', () => {
    const page = renderHtml(report, translator.t('vi'), 'vi');
    expect(page).not.toContain('<b>Tổ 5</b>');
    expect(page).toContain('<td>=HYPERLINK(&quot;http://x&quot;,&quot;&lt;b&gt;Tổ 5&lt;/b&gt;&quot;) | *nhóm*, &quot;A&quot;\nB</td>');
    expect(page).toContain('<td class="number">1.234</td>');
    // 5430 s and 86400 s to the first action, in whole minutes; a group no longer listed is named by its id.
    expect(page).toMatch(/trung vị \(phút\)<\/td><td class="number">91<\/td>/);
    expect(page).toMatch(/\(phút\)<\/td><td class="number">1.440<\/td>/);
    expect(page).toContain('<td>Nhóm g-0000000003 (không còn trong danh sách)</td><td class="none">—</td>');
    expect(page).toContain('<tr class="total"><td>Tổng cộng</td>');
  });

  it('is worded in English when asked', () => {
    const page = renderHtml(report, translator.t('en'), 'en');
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<p>PEOPLE&#39;S COMMITTEE</p><p class="strong">LE CHAN WARD</p>');
    expect(page).toContain('Le Chan, 01/7/2026');
    expect(page).toContain('<h2>III. TIP-OFFS RECEIVED AND HANDLED</h2>');
    expect(page).toContain('<td class="number">1,234</td>');
    expect(page).not.toMatch(/BÁO CÁO|Tổng cộng/);
  });
});

describe('the Markdown export', () => {
  it('has every section and table, each row as many cells as its header, nothing of the group name interpreted', () => {
    const t = translator.t('vi');
    const markdown = renderMarkdown(report, t, 'vi');
    const sections = reportSections(report, t);
    for (const section of sections) expect(markdown).toContain(`\n## ${section.numeral}. ${section.heading}\n`);
    sections.flatMap((s) => s.tables).forEach((table, n) => {
      const start = markdown.indexOf(`**${n + 1}. ${table.title}**`);
      expect(start, table.id).toBeGreaterThan(0);
      const rows = markdown.slice(start).split('\n').slice(2, 4 + table.rows.length);
      expect(rows).toHaveLength(table.rows.length + 2);
      // Cells are split on pipes that are not escaped.
      for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2, row).toBe(table.header.length);
    });
    expect(markdown).toContain('| =HYPERLINK("http://x","\\<b\\>Tổ 5\\</b\\>") \\| \\*nhóm\\*, "A" B | Zalo | 1.200 |');
    expect(markdown).toMatch(/^\*\*ỦY BAN NHÂN DÂN\*\* {2}\n\*\*PHƯỜNG LÊ CHÂN\*\*\n/);
    expect(markdown).toContain('\n# BÁO CÁO\n');
  });

  it('escapes every character Markdown gives a meaning to', () => {
    expect(escapeMarkdown('[link](x) <i>a</i> *b* _c_ `d` #e ~f~ g|h &amp; !\\')).toBe('\\[link\\](x) \\<i\\>a\\</i\\> \\*b\\* \\_c\\_ \\`d\\` \\#e \\~f\\~ g\\|h \\&amp; \\!\\\\');
  });
});
