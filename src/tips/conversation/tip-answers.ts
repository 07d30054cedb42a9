import { foldText } from '../../content/qa/normalise.js';
import { TIP_CATEGORIES, type TipCategory } from '../schemas.js';

/**
 * Reading what people answer in a tip conversation. Everything is compared folded (lower case, no diacritics), since
 * residents type Vietnamese with and without accents, so the word lists below are written folded too.
 */

/** Words that point at one kind of activity, in both languages; an answer naming two kinds is asked again. */
const CATEGORY_WORDS: Record<TipCategory, readonly string[]> = {
  trade: ['mua ban', 'buon ban', 'ban ma tuy', 'mua ma tuy', 'ban hang', 'buy', 'buying', 'sell', 'selling', 'dealing', 'dealer'],
  'use-place': ['su dung', 'tu tap', 'noi su dung', 'choi ma tuy', 'bay lac', 'use', 'using', 'used', 'place'],
  online: ['tren mang', 'mang xa hoi', 'online', 'internet', 'facebook', 'zalo', 'tiktok', 'telegram'],
  disguised: ['tra hinh', 'thuc pham', 'do uong', 'thuoc la dien tu', 'vape', 'banh keo', 'disguised', 'food', 'drink', 'drinks', 'e cigarette', 'e cigarettes', 'candy'],
  other: ['khac', 'cai khac', 'other', 'something else'],
};

/** "Not sure", "skip" and the like: the question has no answer, and that is fine. */
const SKIP_WORDS = new Set([
  '0', 'khong ro', 'ko ro', 'k ro', 'khong biet', 'ko biet', 'k biet', 'chua ro', 'bo qua', 'khong', 'ko', 'khong co', 'xong', 'tiep',
  'tiep tuc', 'skip', 'unknown', 'not sure', 'dont know', 'no', 'none', 'done', 'next', 'continue',
]);

const YES_WORDS = new Set(['1', 'gui', 'gui di', 'co', 'dong y', 'ok', 'oke', 'yes', 'y', 'send']);
const NO_WORDS = new Set(['2', 'huy', 'khong', 'ko', 'k', 'thoi', 'no', 'n', 'cancel']);

/** What starts a tip conversation when typed in a private chat, rather than being taken as a question. */
const TIP_KEYWORDS = ['to giac', 'bao tin ma tuy', 'tip off', 'report drug', 'report drugs', 'report dealing'];
/**
 * Asking how to report ("Tố giác ma túy ở đâu?") is a question for the knowledge base, not a tip; these words (or a
 * question mark) make it one.
 */
const QUESTION_WORDS = ['o dau', 'the nao', 'lam sao', 'cach nao', 'bang cach', 'duoc khong', 'co nen', 'where', 'how', 'what', 'can i', 'should i'];
const QUESTION_ENDINGS = ['khong', 'chua', 'ko', 'k', 'gi'];

/** Whether `phrase` appears in `folded` as whole words. */
function contains(folded: string, phrase: string): boolean {
  return ` ${folded} `.includes(` ${phrase} `);
}

/** A category from its number in the list ("2", "số 2") or from words naming it; undefined when unclear. */
export function readCategory(answer: string): TipCategory | undefined {
  const folded = foldText(answer);
  const number = /^(?:so )?([1-9])$/.exec(folded)?.[1];
  if (number !== undefined) return TIP_CATEGORIES[Number(number) - 1];
  const named = TIP_CATEGORIES.filter((category) => CATEGORY_WORDS[category].some((phrase) => contains(folded, phrase)));
  return named.length === 1 ? named[0] : undefined;
}

export function isSkip(answer: string): boolean {
  return SKIP_WORDS.has(foldText(answer));
}

export function readYesNo(answer: string): 'yes' | 'no' | undefined {
  const folded = foldText(answer);
  return YES_WORDS.has(folded) ? 'yes' : NO_WORDS.has(folded) ? 'no' : undefined;
}

/** A private message that asks to report something ("tố giác", "to giac", "báo tin ma túy"), and not how to. */
export function isTipRequest(text: string): boolean {
  const folded = foldText(text);
  if (!TIP_KEYWORDS.some((keyword) => contains(folded, keyword))) return false;
  const question = text.includes('?') || QUESTION_WORDS.some((w) => contains(folded, w)) || QUESTION_ENDINGS.some((w) => folded.endsWith(` ${w}`));
  return !question;
}

/** Whether the text has enough words to tell its language by: a number, an emoji or one word has not. */
export function hasWords(text: string): boolean {
  return (text.match(/\p{L}{2,}/gu) ?? []).length >= 2;
}
