import { beforeAll, describe, expect, it } from 'vitest';
import { createTranslator, type Translator } from '../../platform/i18n.js';
import { formPage, lookupPage, receiptPage, statusPage, type PageContext } from './tip-form-pages.js';

let translator: Translator;
beforeAll(async () => {
  translator = await createTranslator('vi');
});

const ctx = (locale: 'vi' | 'en' = 'vi'): PageContext => ({ t: translator.t(locale), locale, timeZone: 'Asia/Ho_Chi_Minh' });
const hostile = '"><script>alert(1)</script>';

describe('tip form pages', () => {
  it('shows what was typed again, escaped, with each problem next to its field', () => {
    const page = formPage(ctx(), {
      values: { category: 'online', where: hostile, when: '', what: `${hostile} ngắn` },
      problems: [{ field: 'what', message: 'Mô tả quá ngắn <3' }],
      photosDropped: true,
    });
    expect(page).not.toContain('<script>');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain('>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; ngắn</textarea>');
    expect(page).toMatch(/<textarea id="what"[^>]* aria-describedby="what-hint what-problem" aria-invalid="true">/);
    expect(page).toContain('<p class="problem" id="what-problem">Mô tả quá ngắn &lt;3</p>');
    expect(page).toContain('<li><a href="#what">Mô tả quá ngắn &lt;3</a></li>');
    expect(page).toMatch(/value="online" checked required/);
    expect(page).toContain(translator.t('vi')('tipform:form.photosAgain'));
    expect(page).not.toContain('id="where-problem"');
  });

  it('is in the language asked for, with a link to the other one', () => {
    const page = lookupPage(ctx('en'));
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<a href="/to-giac/ma?lang=vi" hreflang="vi" lang="vi">Tiếng Việt</a>');
    expect(page).toContain('action="/to-giac/ma?lang=en"');
  });

  it('shows the receipt code large and never puts it in a link', () => {
    const page = receiptPage(ctx(), 'ABCD-EFGH-JKMN-PQRS');
    expect(page).toMatch(/<p class="code" aria-labelledby="code-title">ABCD-EFGH-JKMN-PQRS<\/p>/);
    expect(page).toContain('<input type="hidden" name="code" value="ABCD-EFGH-JKMN-PQRS">');
    for (const [, url] of page.matchAll(/(?:href|action)="([^"]*)"/g)) expect(url).not.toMatch(/ABCD/);
  });

  it('shows the thread escaped, with who wrote and when on the ward clock', () => {
    const page = statusPage(ctx(), {
      code: 'ABCDEFGHJKMNPQRS',
      view: {
        id: 't-1',
        category: 'trade',
        status: 'in-progress',
        createdAt: '2026-06-25T16:30:00.000Z',
        thread: [
          { from: 'police', at: '2026-06-26T01:05:00.000Z', text: `Cảm ơn ${hostile}` },
          { from: 'tipster', at: '2026-06-26T02:00:00.000Z', text: 'Vâng.' },
        ],
      },
    });
    expect(page).not.toContain('<script>');
    expect(page).toContain('<dd><strong>đang xử lý</strong></dd>');
    expect(page).toContain('<time datetime="2026-06-25T16:30:00.000Z">23:30 ngày 25/06/2026</time>');
    expect(page).toMatch(/<li class="police"><p class="who">Công an phường · <time datetime="2026-06-26T01:05:00.000Z">08:05 ngày 26\/06\/2026<\/time><\/p><p class="text">Cảm ơn &quot;&gt;&lt;script&gt;/);
    expect(page).toMatch(/<li class="tipster"><p class="who">Bạn · /);
  });
});
