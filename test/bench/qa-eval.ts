import { join } from 'node:path';
import { loadLibrary } from '../../src/content/load-library.js';
import { evaluateQa, QA_TARGETS, readQaEvalCases } from '../../src/content/qa/evaluate.js';
import { QuestionAnswering } from '../../src/content/qa/question-answering.js';
import { createTranslator } from '../../src/platform/i18n.js';
import { packageRoot, shippedContentDir } from '../../src/platform/paths.js';
import { percent, type BenchRow } from './bench-row.js';

/** Each question is answered this many times for the timings, after one round to warm up. */
const TIMING_ROUNDS = 50;
/** The issue asks for well under a millisecond per question once the index is built. */
const MAX_MICROS_PER_QUESTION = 1000;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const timeRow = (figure: string, micros: number): BenchRow => ({
  figure,
  value: `${micros.toFixed(0)} µs`,
  target: `< ${MAX_MICROS_PER_QUESTION} µs`,
  met: micros < MAX_MICROS_PER_QUESTION,
});

/** Question answering against test/qa-eval/cases.yaml: the targets, and time per question. */
export async function run(): Promise<BenchRow[]> {
  const t = (await createTranslator('en')).t('en');
  const { library } = await loadLibrary(shippedContentDir, { t });
  const cases = await readQaEvalCases(join(packageRoot, 'test', 'qa-eval', 'cases.yaml'));
  const qa = QuestionAnswering.fromEntries(library.qa);
  const result = evaluateQa(qa, cases);

  for (const c of cases) qa.answer(c.q);
  const micros: number[] = [];
  for (let round = 0; round < TIMING_ROUNDS; round += 1) {
    for (const c of cases) {
      const start = process.hrtime.bigint();
      qa.answer(c.q);
      micros.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  micros.sort((a, b) => a - b);

  return [
    { figure: 'QA: evaluation cases', value: `${result.onTopic} on-topic + ${result.offTopic} off-topic` },
    {
      figure: 'QA: top-1 accuracy (on-topic)',
      value: percent(result.top1Accuracy),
      target: `≥ ${percent(QA_TARGETS.top1Accuracy)}`,
      met: result.top1Accuracy >= QA_TARGETS.top1Accuracy,
    },
    {
      figure: 'QA: wrong confident answers (all cases)',
      value: percent(result.wrongConfidentRate),
      target: `≤ ${percent(QA_TARGETS.wrongConfidentRate)}`,
      met: result.wrongConfidentRate <= QA_TARGETS.wrongConfidentRate,
    },
    {
      figure: 'QA: off-topic refused (none or medium)',
      value: percent(result.offTopicRefusalRate),
      target: `≥ ${percent(QA_TARGETS.offTopicRefusalRate)}`,
      met: result.offTopicRefusalRate >= QA_TARGETS.offTopicRefusalRate,
    },
    { figure: 'QA: answered with high confidence', value: percent(result.highShare) },
    { figure: 'QA: medium answers suggesting the expected entry', value: percent(result.mediumSuggestsExpected) },
    timeRow('QA: median time per question', quantile(micros, 0.5)),
    timeRow('QA: p99 time per question', quantile(micros, 0.99)),
  ];
}
