import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../platform/i18n.js';
import { packageRoot, shippedContentDir } from '../../platform/paths.js';
import { loadLibrary } from '../load-library.js';
import type { QaEntry } from '../schemas.js';
import { evaluateQa, QA_TARGETS, readQaEvalCases, type QaEvalCase } from './evaluate.js';
import { QuestionAnswering } from './question-answering.js';

describe('question answering against the evaluation set', () => {
  let qa: QuestionAnswering;
  let cases: QaEvalCase[];

  beforeAll(async () => {
    const t = (await createTranslator('en')).t('en');
    const { library } = await loadLibrary(shippedContentDir, { t });
    qa = QuestionAnswering.fromEntries(library.qa);
    cases = await readQaEvalCases(join(packageRoot, 'test', 'qa-eval', 'cases.yaml'));
  });

  it('meets the targets of the issue', () => {
    const result = evaluateQa(qa, cases);
    console.info(
      `QA evaluation: top-1 ${(result.top1Accuracy * 100).toFixed(1)}% of ${result.onTopic} on-topic, ` +
        `wrong confident ${(result.wrongConfidentRate * 100).toFixed(1)}% of ${result.cases}, ` +
        `off-topic refused ${(result.offTopicRefusalRate * 100).toFixed(1)}% of ${result.offTopic}`,
    );
    expect(result.onTopic).toBeGreaterThan(0);
    expect(result.offTopic).toBeGreaterThan(0);
    expect(result.top1Accuracy).toBeGreaterThanOrEqual(QA_TARGETS.top1Accuracy);
    expect(result.wrongConfidentRate).toBeLessThanOrEqual(QA_TARGETS.wrongConfidentRate);
    expect(result.offTopicRefusalRate).toBeGreaterThanOrEqual(QA_TARGETS.offTopicRefusalRate);
  });
});

describe('evaluateQa', () => {
  const entry = (id: string, vi: string, en: string): QaEntry => ({
    id,
    topic: 'bot-usage',
    questions: { vi: [vi, `${vi} vậy`], en: [en, `${en} please`] },
    answer: { vi, en },
  });
  const qa = new QuestionAnswering([
    entry('dang-ky', 'Đăng ký nhóm với bot', 'Register a group'),
    entry('huy', 'Lệnh hủy tin tố giác', 'Cancel a tip'),
  ]);

  it('counts each figure over the cases it is defined on', () => {
    const result = evaluateQa(qa, [
      { q: 'dang ky nhom', lang: 'vi', expect: 'dang-ky' },
      { q: 'huy to giac', lang: 'vi', expect: 'dang-ky' },
      { q: 'thoi tiet hom nay', lang: 'vi', expect: null },
    ]);
    expect(result).toMatchObject({ cases: 3, onTopic: 2, offTopic: 1, top1Accuracy: 0.5, offTopicRefusalRate: 1 });
    expect(result.wrongConfidentRate).toBeCloseTo(1 / 3);
    expect(result.misses).toEqual([{ question: 'huy to giac', expected: 'dang-ky', best: 'huy' }]);
  });

  it('refuses a case that expects an entry the knowledge base lacks', () => {
    expect(() => evaluateQa(qa, [{ q: 'x', lang: 'vi', expect: 'no-such-entry' }])).toThrow(/no-such-entry/);
  });
});
