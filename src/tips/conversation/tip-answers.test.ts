import { describe, expect, it } from 'vitest';
import { isSkip, isTipRequest, readCategory, readYesNo } from './tip-answers.js';

describe('reading answers in a tip conversation', () => {
  it('takes a category by its number or by words naming it, with or without accents', () => {
    expect(['1', ' 2 ', 'số 3', '4', '5'].map(readCategory)).toEqual(['trade', 'use-place', 'online', 'disguised', 'other']);
    expect(readCategory('mua bán')).toBe('trade');
    expect(readCategory('mua ban')).toBe('trade');
    expect(readCategory('Nơi tụ tập sử dụng')).toBe('use-place');
    expect(readCategory('bán trên mạng xã hội')).toBe('online');
    expect(readCategory('thuốc lá điện tử')).toBe('disguised');
    // Words of two kinds at once: the person is asked for the number rather than guessed for.
    expect(readCategory('selling online')).toBe(undefined);
    expect(readCategory('online')).toBe('online');
    expect(readCategory('khác')).toBe('other');
  });

  it('refuses what names no category or a number off the list', () => {
    for (const answer of ['0', '6', '9', '12', 'abc', '', 'có lẽ vậy']) expect(readCategory(answer), answer).toBeUndefined();
  });

  it('knows "not sure" and "skip" in both languages', () => {
    for (const answer of ['không rõ', 'Khong ro', 'bỏ qua', 'skip', 'Not sure', '0']) expect(isSkip(answer), answer).toBe(true);
    for (const answer of ['hẻm 5', 'tối qua', '10']) expect(isSkip(answer), answer).toBe(false);
  });

  it('reads the confirmation', () => {
    expect(['1', 'gửi', 'Yes', 'đồng ý'].map(readYesNo)).toEqual(['yes', 'yes', 'yes', 'yes']);
    expect(['2', 'hủy', 'huỷ', 'cancel', 'không'].map(readYesNo)).toEqual(['no', 'no', 'no', 'no', 'no']);
    expect(readYesNo('3')).toBeUndefined();
  });

  it('starts a tip on the keywords, accent-insensitive, but leaves questions about reporting to the knowledge base', () => {
    for (const text of ['tố giác', 'Tôi muốn tố giác', 'to giac', 'TỐ GIÁC!', 'báo tin ma túy', 'bao tin ma tuy o hem 5', 'I want to report drug dealing']) {
      expect(isTipRequest(text), text).toBe(true);
    }
    for (const text of ['Tố giác ma túy ở đâu?', 'to giac nhu the nao', 'làm sao để tố giác', 'có nên tố giác không', 'How do I report drug dealing', 'ma túy là gì', 'giác quan']) {
      expect(isTipRequest(text), text).toBe(false);
    }
  });
});
