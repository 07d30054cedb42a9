import { describe, expect, it } from 'vitest';
import { splitText } from '../../channels/outbound/split-text.js';
import { createTranslator } from '../../platform/i18n.js';
import { chatPreviewHtml, chatPreviews } from './chat-preview.js';

/** About 3,000 characters in paragraphs: over Zalo's 2,000, under Telegram's 4,096. */
const LONG = Array.from({ length: 30 }, (_, i) => `Đoạn ${i + 1}: bà con cảnh giác với ma túy núp bóng kẹo, bánh, nước uống; thấy lạ hãy báo công an phường.`).join('\n\n');

describe('chatPreviews', () => {
  it('splits a long text into the parts the outbound layer sends on each platform', () => {
    expect(LONG.length).toBeGreaterThan(2000);
    expect(LONG.length).toBeLessThan(4096);
    const [zalo, telegram] = chatPreviews(LONG);
    expect(zalo).toMatchObject({ platform: 'zalo', limit: 2000 });
    expect(zalo!.parts).toEqual(splitText(LONG, 2000));
    expect(zalo!.parts).toHaveLength(2);
    expect(zalo!.parts.every((p) => p.length <= 2000)).toBe(true);
    expect(telegram).toMatchObject({ platform: 'telegram', limit: 4096, parts: [LONG] });
  });

  it('shows each part in a bubble with its length against the limit, the text escaped', async () => {
    const page = { t: (await createTranslator('en')).t('en'), locale: 'en' as const };
    const text = `<b>đậm</b>\n\n${LONG}`;
    const body = chatPreviewHtml(page, 'vi', text).value;
    expect(body.match(/<div class="bubble" lang="vi">/g)).toHaveLength(3);
    expect(body).toContain('<h4>Zalo</h4>\n<p class="count">Messages sent: 2</p>');
    expect(body).toContain('<h4>Telegram</h4>\n<p class="count">Messages sent: 1</p>');
    expect(body).toMatch(/Message 1 of 2: \d{3,4} of 2000 characters/);
    expect(body).toContain(`Message 1 of 1: ${text.length} of 4096 characters`);
    expect(body).toContain('&lt;b&gt;đậm&lt;/b&gt;');
    expect(body).not.toContain('<b>');
  });
});
