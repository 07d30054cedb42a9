import { describe, expect, it } from 'vitest';
import { contentWords, foldText, guessLanguage, normalise, stemEnglish } from './normalise.js';

describe('foldText', () => {
  it('removes diacritics, including đ, and lowercases', () => {
    expect(foldText('Ma túy ĐÁ, thuốc lắc')).toBe('ma tuy da thuoc lac');
    expect(foldText('Được, đâu, Đường')).toBe('duoc dau duong');
  });

  it('gives the same result for composed and decomposed input', () => {
    const composed = 'Tố giác'.normalize('NFC');
    const decomposed = 'Tố giác'.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(foldText(decomposed)).toBe('to giac');
    expect(foldText(composed)).toBe('to giac');
  });

  it('turns punctuation and emoji into spaces', () => {
    expect(foldText('Ma túy đá 😀👍️ là gì???')).toBe('ma tuy da la gi');
    expect(foldText('/togiac... (khẩn!!!) — 113')).toBe('togiac khan 113');
    expect(foldText('🙏🙏 ?!…')).toBe('');
  });

  it('joins English contractions, splits a number from its unit and shortens stretched letters', () => {
    expect(foldText("What's up, I'm here")).toBe('whats up im here');
    expect(foldText('tra 2tr')).toBe('tra 2 tr');
    expect(foldText('khôngggg điiii')).toBe('khong di');
  });
});

describe('normalise', () => {
  it('writes out chat shortcuts as whole words', () => {
    expect(normalise('đc k')).toBe('duoc khong');
    expect(normalise('ko bt j')).toBe('khong biet gi');
    expect(normalise('hok dk, khg, kh')).toBe('khong duoc khong khong');
    expect(normalise('ntn')).toBe('nhu the nao');
    expect(normalise('sdt cs bn')).toBe('so dien thoai cong an bao nhieu');
    expect(normalise('mn oi vs mk, mik bt r')).toBe('moi nguoi oi voi minh minh biet roi');
    expect(normalise('tk cua e')).toBe('tai khoan cua em');
  });

  it('expands "a" and "e" only as whole words typed without marks', () => {
    expect(normalise('a oi e hoi')).toBe('anh oi em hoi');
    expect(normalise('ma tuy')).toBe('ma tuy');
    expect(normalise('Được không ạ?')).toBe('duoc khong a');
    expect(normalise('đc k ạ')).toBe('duoc khong a');
  });

  it('leaves English words alone', () => {
    expect(normalise('a stranger asked me', 'en')).toBe('a stranger asked me');
    expect(normalise('is it ok to vape')).toBe('is it ok to vape');
  });
});

describe('guessLanguage', () => {
  it('takes Vietnamese marks as Vietnamese', () => {
    expect(guessLanguage('to giác có bị lộ không')).toBe('vi');
    expect(guessLanguage('đc k')).toBe('vi');
  });

  it('tells unaccented Vietnamese from English', () => {
    expect(guessLanguage('lam sao to giac nguoi ban ma tuy')).toBe('vi');
    expect(guessLanguage('thuoc la dien tu co bi cam k')).toBe('vi');
    expect(guessLanguage('how do I report a drug dealer')).toBe('en');
    expect(guessLanguage('can i talk to a human')).toBe('en');
  });
});

describe('contentWords', () => {
  it('drops stop words but keeps words that fold onto a topic', () => {
    expect(contentWords('ma tuy da la gi vay')).toEqual(['ma', 'tuy', 'da']);
    expect(contentWords('con toi nghien thi phai lam sao')).toEqual(['con', 'nghien']);
    expect(contentWords('to giac co bi lo ten khong')).toEqual(['to', 'giac', 'co', 'lo', 'ten', 'khong']);
  });

  it('drops closing particles only at the end', () => {
    expect(contentWords('cai nghien xong co vay von duoc khong')).toContain('vay');
    expect(contentWords('cs phuong o dau vay mn')).toEqual(['cong', 'an', 'phuong', 'dau']);
  });

  it('stems English words', () => {
    expect(contentWords('Someone is selling drugs to my kids')).toEqual(['sell', 'drug', 'kid']);
    expect(['dealer', 'dealing', 'deals'].map(stemEnglish)).toEqual(['deal', 'deal', 'deal']);
    expect(['using', 'use', 'uses'].map(stemEnglish)).toEqual(['us', 'us', 'us']);
    expect(['shipping', 'shipper', 'parties', 'business'].map(stemEnglish)).toEqual(['ship', 'ship', 'party', 'business']);
  });
});
