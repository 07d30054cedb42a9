import { beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../platform/i18n.js';
import { shippedContentDir } from '../../platform/paths.js';
import { loadLibrary } from '../load-library.js';
import type { QaEntry } from '../schemas.js';
import { QuestionAnswering, type QaResult } from './question-answering.js';

const answeredBy = (result: QaResult) => (result.confidence === 'high' ? result.entry.id : undefined);

describe('QuestionAnswering on the shipped knowledge base', () => {
  let qa: QuestionAnswering;

  beforeAll(async () => {
    const t = (await createTranslator('en')).t('en');
    const { library, problems } = await loadLibrary(shippedContentDir, { t });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    qa = QuestionAnswering.fromEntries(library.qa);
  });

  it('answers a question typed with full diacritics and emoji', () => {
    expect(answeredBy(qa.answer('Thuốc lá điện tử có bị cấm không ạ 😢'))).toBe('thuoc-la-dien-tu-co-bi-cam-khong');
  });

  it('answers a question typed without diacritics', () => {
    expect(answeredBy(qa.answer('so dien thoai cong an phuong la gi'))).toBe('lien-he-cong-an-phuong');
    expect(answeredBy(qa.answer('luat phong chong ma tuy moi co hieu luc khi nao'))).toBe('luat-phong-chong-ma-tuy');
  });

  it('answers a question written in chat shortcuts', () => {
    expect(answeredBy(qa.answer('sdt cs phuong'))).toBe('lien-he-cong-an-phuong');
    expect(answeredBy(qa.answer('to giac co bi lo danh tinh k'))).toBe('to-giac-co-lo-danh-tinh-khong');
    expect(answeredBy(qa.answer('Ma tuý tổng hợp là j vậy mn'))).toBe('ma-tuy-tong-hop-la-gi');
  });

  it('answers whatever the word order', () => {
    expect(answeredBy(qa.answer('lenh /huy de lam gi'))).toBe('huy-to-giac');
    expect(answeredBy(qa.answer('de lam gi, lenh /huy'))).toBe('huy-to-giac');
    expect(answeredBy(qa.answer('gọi số nào khi khẩn cấp'))).toBe('khan-cap-goi-113');
    expect(answeredBy(qa.answer('khẩn cấp gọi số nào'))).toBe('khan-cap-goi-113');
    // Reordered words lose the word pairs they shared with the example question, so confidence may drop; the best entry stays.
    expect(answeredBy(qa.answer('công an phường ở đâu'))).toBe('lien-he-cong-an-phuong');
    expect(qa.match('ở đâu công an phường').candidates[0]?.entry.id).toBe('lien-he-cong-an-phuong');
  });

  it('answers in English', () => {
    expect(answeredBy(qa.answer('What is the phone number of the ward police?'))).toBe('lien-he-cong-an-phuong');
    expect(answeredBy(qa.answer('is vaping legal in vietnam'))).toBe('thuoc-la-dien-tu-co-bi-cam-khong');
    expect(answeredBy(qa.answer('how do I cancel my tip'))).toBe('huy-to-giac');
  });

  it('forgives a typo in a long English word', () => {
    expect(answeredBy(qa.answer('is vaping legall in vietnam'))).toBe('thuoc-la-dien-tu-co-bi-cam-khong');
  });

  it('offers two or three distinct entries when two fit about as well', () => {
    const result = qa.answer('cai nghien tu nguyen dang ky o dau');
    expect(result.confidence).toBe('medium');
    if (result.confidence !== 'medium') return;
    const ids = result.suggestions.map((entry) => entry.id);
    expect(ids).toContain('cai-nghien-tu-nguyen-o-dau');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids.length).toBeLessThanOrEqual(3);
  });

  it('answers nothing to an off-topic question', () => {
    expect(qa.answer('giá xăng hôm nay bao nhiêu').confidence).toBe('none');
    expect(qa.answer('what is the capital of france').confidence).toBe('none');
    expect(qa.answer('hom nay an gi ngon').confidence).toBe('none');
  });

  it('does not answer a near miss with confidence', () => {
    expect(qa.answer('mua ma tuy o dau').confidence).not.toBe('high');
    expect(qa.answer('where can i buy weed').confidence).not.toBe('high');
  });

  it('answers nothing to a question made of words every entry uses', () => {
    expect(qa.answer('Được không ạ?').confidence).toBe('none');
  });

  it('answers nothing to empty or punctuation-only input', () => {
    for (const question of ['', '   ', '?!…', '😀👍', '\n\t']) {
      expect(qa.answer(question)).toEqual({ confidence: 'none' });
      expect(qa.match(question).candidates).toEqual([]);
    }
  });
});

describe('QuestionAnswering on a small knowledge base', () => {
  const entry = (id: string, vi: string[], en: string[], answer: string): QaEntry => ({
    id,
    topic: 'bot-usage',
    questions: { vi, en },
    answer: { vi: answer, en: answer },
  });
  const entries = [
    entry('dang-ky', ['Đăng ký nhóm thế nào?', 'Lệnh /dangky dùng ra sao?'], ['How do I register a group?', 'What does /dangky do?'], 'Gõ /dangky.'),
    entry('huy', ['Hủy tin đang soạn thế nào?', 'Lệnh /huy để làm gì?'], ['How do I cancel?', 'What does /huy do?'], 'Gõ /huy.'),
    entry('huy-nhom', ['Hủy đăng ký nhóm thế nào?', 'Muốn bỏ đăng ký nhóm'], ['How do I unregister a group?', 'Remove our group'], 'Gõ /huydangky.'),
  ];
  const qa = new QuestionAnswering(entries);

  it('keeps the entries it was built from', () => {
    expect(qa.entries).toBe(entries);
  });

  it('answers with confidence when one entry clearly fits', () => {
    const result = qa.answer('lenh /huy de lam gi');
    expect(result.confidence).toBe('high');
    if (result.confidence === 'high') {
      expect(result.entry.id).toBe('huy');
      expect(result.score).toBeGreaterThan(0);
    }
  });

  it('offers suggestions when entries fit equally', () => {
    const result = qa.answer('dang ky nhom');
    expect(result.confidence).toBe('medium');
    if (result.confidence === 'medium') expect(result.suggestions.map((e) => e.id).sort()).toEqual(['dang-ky', 'huy-nhom']);
  });

  it('searches a question in its own language only', () => {
    expect(qa.match('how do i cancel').language).toBe('en');
    expect(qa.match('how do i cancel').candidates[0]?.entry.id).toBe('huy');
    expect(qa.match('huy tin dang soan').language).toBe('vi');
  });
});
