import MiniSearch from 'minisearch';
import { PLACEHOLDER_PATTERN } from '../render.js';
import type { QaEntry } from '../schemas.js';
import { contentWords, guessLanguage, type TextLanguage } from './normalise.js';

export type QaResult =
  | { confidence: 'high'; entry: QaEntry; score: number }
  | { confidence: 'medium'; suggestions: QaEntry[] }
  | { confidence: 'none' };

/** How an entry matched a question, before a confidence is decided. */
export interface QaCandidate {
  entry: QaEntry;
  /** MiniSearch's score: comparable between entries for one question, not between questions. */
  score: number;
  /** Share of the question's content words, weighted by how rare they are in the knowledge base, that the entry matched. */
  coverage: number;
  /** The rarity of the words matched, summed: how much the match says at all. */
  evidence: number;
}

export interface QaMatch {
  language: TextLanguage;
  /** Best first. */
  candidates: QaCandidate[];
}

/*
 * Settings and thresholds, chosen by measuring on the evaluation set test/qa-eval/cases.yaml; `npm run bench`
 * prints the figures they give. The confidence thresholds sit inside the range where wrong confident answers
 * stay rare, not at its edge, because new questions will not match as well as the ones they were chosen on.
 */
/** Answer text is long and general, so a word found there counts for less than one in an example question. */
const ANSWER_BOOST = 0.45;
/**
 * A typo is forgiven (one edit) only in words this long. Nearly every Vietnamese syllable one edit away from
 * another is a real, different word ("phuong"/"huong", "thang"/"thanh"), so there it waits for the longest ones.
 */
const FUZZY_MIN_LENGTH: Record<TextLanguage, number> = { vi: 7, en: 5 };
/**
 * A long English word may match longer words it begins, which the light stemmer leaves apart ("prevent" and
 * "prevention"); shorter ones matched too much that way. A Vietnamese syllable is typed whole, so never there.
 */
const PREFIX_MIN_LENGTH: Record<TextLanguage, number> = { vi: Infinity, en: 7 };
/** How much a typo or prefix match counts next to an exact one (MiniSearch's own default for typos). */
const MATCH_WEIGHTS = { fuzzy: 0.45, prefix: 0.2 };
/** Coverage at or above which the best entry may be answered outright, ... */
const HIGH_COVERAGE = 0.6;
/** ... provided the runner-up scores at most this share of the best entry's score: a clear winner. */
const HIGH_MAX_RUNNER_UP = 0.4;
/** Coverage below which nothing is offered: the question is mostly about something the knowledge base lacks. */
const MEDIUM_COVERAGE = 0.3;
/**
 * Evidence below which nothing is offered: words most entries use ("ma túy", "không") say nothing on their own.
 * A word used by a third of the entries has a rarity of about 1.
 */
const MIN_EVIDENCE = 1;
/** When not sure, the best two entries are offered, and the third when it scores at least this share of the best. */
const THIRD_SUGGESTION_MIN_SHARE = 0.5;

interface IndexedEntry {
  /** Position in `entries`. */
  id: number;
  questions_vi: string;
  questions_en: string;
  answer_vi: string;
  answer_en: string;
}

const fieldLanguage = (field: string): TextLanguage => (field.endsWith('_en') ? 'en' : 'vi');

/** Content words and the pairs of neighbouring ones: Vietnamese words are mostly two syllables ("ma túy", "tố giác"). */
function termsOf(words: readonly string[]): string[] {
  return [...words, ...words.slice(1).map((word, i) => `${words[i]} ${word}`)];
}

const indexTerms = (text: string, language: TextLanguage) => termsOf(contentWords(text, language));

const isPair = (term: string) => term.includes(' ');

/**
 * Answers residents' questions from the knowledge base: each entry is one MiniSearch document holding its example
 * questions and, boosted lower, its answer, per language. A question is searched in its own language only, so that
 * folded words shared between the languages ("can", "to", "ban") do not cross over.
 */
export class QuestionAnswering {
  readonly entries: readonly QaEntry[];
  private readonly search: MiniSearch<IndexedEntry>;
  /** Per language, how telling each content word is: the log of the inverse share of entries that use it. */
  private readonly rarity: Record<TextLanguage, ReadonlyMap<string, number>>;
  /** Rarity of a word no entry uses. */
  private readonly unknownRarity: number;

  static fromEntries(entries: readonly QaEntry[]): QuestionAnswering {
    return new QuestionAnswering(entries);
  }

  constructor(entries: readonly QaEntry[]) {
    this.entries = entries;
    this.search = new MiniSearch<IndexedEntry>({
      fields: ['questions_vi', 'questions_en', 'answer_vi', 'answer_en'],
      // Terms are already whole units (a word or a pair): the query side hands them over one by one.
      tokenize: (text, field) =>
        field === undefined ? text.split('\n') : text.split('\n').flatMap((line) => indexTerms(line, fieldLanguage(field))),
      processTerm: (term) => term,
      searchOptions: { weights: MATCH_WEIGHTS },
    });
    const withoutPlaceholders = (text: string) => text.replace(PLACEHOLDER_PATTERN, ' ');
    this.search.addAll(
      entries.map((entry, id) => ({
        id,
        questions_vi: entry.questions.vi.join('\n'),
        questions_en: entry.questions.en.join('\n'),
        answer_vi: withoutPlaceholders(entry.answer.vi),
        answer_en: withoutPlaceholders(entry.answer.en),
      })),
    );
    const rarity = (language: TextLanguage) => {
      const users = new Map<string, number>();
      for (const entry of entries) {
        const text = [...entry.questions[language], withoutPlaceholders(entry.answer[language])].join('\n');
        for (const word of new Set(contentWords(text, language))) users.set(word, (users.get(word) ?? 0) + 1);
      }
      return new Map([...users].map(([word, count]) => [word, Math.log((entries.length + 1) / count)]));
    };
    this.rarity = { vi: rarity('vi'), en: rarity('en') };
    this.unknownRarity = Math.log(entries.length + 1);
  }

  /** Every entry that matched the question at all, best first, with the signals confidence is decided from. */
  match(question: string): QaMatch {
    const language = guessLanguage(question);
    const questionWords = contentWords(question, language);
    const words = [...new Set(questionWords)];
    if (words.length === 0) return { language, candidates: [] };
    const results = this.search.search(termsOf(questionWords).join('\n'), {
      fields: [`questions_${language}`, `answer_${language}`],
      boost: { [`answer_${language}`]: ANSWER_BOOST },
      fuzzy: (term) => (!isPair(term) && term.length >= FUZZY_MIN_LENGTH[language] ? 1 : false),
      prefix: (term) => !isPair(term) && term.length >= PREFIX_MIN_LENGTH[language],
    });
    const rarity = this.rarity[language];
    const weight = (word: string) => rarity.get(word) ?? this.unknownRarity;
    const total = words.reduce((sum, word) => sum + weight(word), 0);
    const candidates = results.map((result): QaCandidate => {
      const matched = (result.queryTerms as string[]).filter((term) => !isPair(term));
      const evidence = matched.reduce((sum, word) => sum + weight(word), 0);
      return { entry: this.entries[result.id as number]!, score: result.score, coverage: evidence / total, evidence };
    });
    return { language, candidates };
  }

  answer(question: string): QaResult {
    const [best, runnerUp, third] = this.match(question).candidates;
    if (!best || best.coverage < MEDIUM_COVERAGE || best.evidence < MIN_EVIDENCE) return { confidence: 'none' };
    const runnerUpShare = runnerUp ? runnerUp.score / best.score : 0;
    if (best.coverage >= HIGH_COVERAGE && runnerUpShare <= HIGH_MAX_RUNNER_UP) {
      return { confidence: 'high', entry: best.entry, score: best.score };
    }
    if (!runnerUp) return { confidence: 'none' };
    const offered = third && third.score >= best.score * THIRD_SUGGESTION_MIN_SHARE ? [best, runnerUp, third] : [best, runnerUp];
    return { confidence: 'medium', suggestions: offered.map((c) => c.entry) };
  }
}
