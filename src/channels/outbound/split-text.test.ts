import { describe, expect, it } from 'vitest';
import { splitText } from './split-text.js';

describe('splitText', () => {
  it('leaves short text whole', () => {
    expect(splitText('  Xin chào bà con 👋  ', 2000)).toEqual(['Xin chào bà con 👋']);
    expect(splitText('👍'.repeat(3), 2)).toEqual(['👍', '👍', '👍']);
    expect(splitText('', 2000)).toEqual([]);
  });

  it('cuts between paragraphs first, then sentences, then words', () => {
    const paragraphs = `${'a'.repeat(30)}\n\n${'b'.repeat(30)}`;
    expect(splitText(paragraphs, 40)).toEqual(['a'.repeat(30), 'b'.repeat(30)]);

    const sentences = 'Ma túy tổng hợp rất nguy hiểm. Hãy tránh xa. Gọi 113 khi cần giúp đỡ ngay.';
    expect(splitText(sentences, 45)).toEqual(['Ma túy tổng hợp rất nguy hiểm. Hãy tránh xa.', 'Gọi 113 khi cần giúp đỡ ngay.']);

    const words = 'một hai ba bốn năm sáu bảy tám chín mười';
    const parts = splitText(words, 12);
    expect(parts.every((p) => p.length <= 12)).toBe(true);
    expect(parts.join(' ')).toBe(words);
  });

  it('never splits an emoji and cuts a word only when it alone is too long', () => {
    const flags = '🇻🇳'.repeat(5);
    const parts = splitText(`${'x'.repeat(25)} ${flags}`, 10);
    expect(parts.every((p) => p.length <= 10)).toBe(true);
    expect(parts.join('').replace(/\s/g, '')).toBe(`${'x'.repeat(25)}${flags}`);
    expect(parts).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5), '🇻🇳🇻🇳', '🇻🇳🇻🇳', '🇻🇳']);
  });

  it('keeps every character of a long message across the parts, each within the limit', () => {
    const text = Array.from({ length: 400 }, (_, i) => `Câu số ${i} nói về phòng chống ma túy.`).join(' ');
    const parts = splitText(text, 2000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });
});
