import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { localeSchema } from '../../platform/config.js';
import { kebabIdSchema } from '../schemas.js';
import type { QuestionAnswering } from './question-answering.js';

/** One question of the evaluation set: `expect` is the entry that should answer it, null when none may. */
export const qaEvalCaseSchema = z.strictObject({
  q: z.string().trim().min(1),
  lang: localeSchema,
  expect: kebabIdSchema.nullable(),
});
export type QaEvalCase = z.infer<typeof qaEvalCaseSchema>;

/** What the issue asks of question answering over the evaluation set. */
export const QA_TARGETS = {
  /** Best entry, whatever the confidence, is the expected one: share of on-topic cases, at least. */
  top1Accuracy: 0.9,
  /** High-confidence answers with the wrong entry: share of all cases, off-topic included, at most. */
  wrongConfidentRate: 0.02,
  /** Off-topic cases answered "none" or "medium": share of off-topic cases, at least. */
  offTopicRefusalRate: 0.85,
} as const;

export interface QaEvaluation {
  cases: number;
  onTopic: number;
  offTopic: number;
  /** Shares, 0 to 1. */
  top1Accuracy: number;
  wrongConfidentRate: number;
  offTopicRefusalRate: number;
  highShare: number;
  /** Of the on-topic questions answered "medium", the share whose suggestions include the expected entry. */
  mediumSuggestsExpected: number;
  /** On-topic cases whose best entry is not the expected one, to see which entries get confused. */
  misses: Array<{ question: string; expected: string; best: string | undefined }>;
}

export async function readQaEvalCases(file: string): Promise<QaEvalCase[]> {
  return z.array(qaEvalCaseSchema).parse(parse(await readFile(file, 'utf8')));
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** Runs every case through `qa`; throws when a case expects an entry the knowledge base does not have. */
export function evaluateQa(qa: QuestionAnswering, cases: readonly QaEvalCase[]): QaEvaluation {
  const ids = new Set(qa.entries.map((entry) => entry.id));
  const unknown = cases.find((c) => c.expect !== null && !ids.has(c.expect));
  if (unknown) throw new Error(`evaluation case expects "${unknown.expect}", which is not a knowledge-base entry`);

  let top1 = 0;
  let wrongConfident = 0;
  let refused = 0;
  let high = 0;
  let medium = 0;
  let mediumWithExpected = 0;
  const misses: QaEvaluation['misses'] = [];
  for (const c of cases) {
    const result = qa.answer(c.q);
    if (result.confidence === 'high') {
      high += 1;
      if (result.entry.id !== c.expect) wrongConfident += 1;
    }
    if (c.expect === null) {
      if (result.confidence !== 'high') refused += 1;
      continue;
    }
    const best = qa.match(c.q).candidates[0]?.entry.id;
    if (best === c.expect) top1 += 1;
    else misses.push({ question: c.q, expected: c.expect, best });
    if (result.confidence === 'medium') {
      medium += 1;
      if (result.suggestions.some((entry) => entry.id === c.expect)) mediumWithExpected += 1;
    }
  }
  const offTopic = cases.filter((c) => c.expect === null).length;
  const onTopic = cases.length - offTopic;
  return {
    cases: cases.length,
    onTopic,
    offTopic,
    top1Accuracy: share(top1, onTopic),
    wrongConfidentRate: share(wrongConfident, cases.length),
    offTopicRefusalRate: share(refused, offTopic),
    highShare: share(high, cases.length),
    mediumSuggestsExpected: share(mediumWithExpected, medium),
    misses,
  };
}
