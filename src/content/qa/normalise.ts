/**
 * Text normalisation for questions typed in chat, in Vietnamese or English.
 *
 * Residents type Vietnamese with or without diacritics, with chat shortcuts and emoji, while the knowledge base is
 * written with full diacritics. Folding both sides to the same plain form lets them meet: "đc k ạ" and
 * "Được không ạ?" both become "duoc khong a".
 */

export type TextLanguage = 'vi' | 'en';

/**
 * Vietnamese chat shortcuts, each replacing a whole word typed without tone or vowel marks (so "a" becomes "anh"
 * but "ạ" and "ma" stay). Only shortcuts with one common meaning are listed. "đc"/"đk" are matched as "dc"/"dk".
 */
const VIETNAMESE_SHORTCUTS: ReadonlyMap<string, string> = new Map([
  ['k', 'khong'],
  ['ko', 'khong'],
  ['kh', 'khong'],
  ['hok', 'khong'],
  ['khg', 'khong'],
  ['dc', 'duoc'],
  ['dk', 'duoc'],
  ['j', 'gi'],
  ['ntn', 'nhu the nao'],
  ['cs', 'cong an'],
  ['bn', 'bao nhieu'],
  ['vs', 'voi'],
  ['mn', 'moi nguoi'],
  ['mk', 'minh'],
  ['mik', 'minh'],
  ['bt', 'biet'],
  ['r', 'roi'],
  ['sdt', 'so dien thoai'],
  ['tk', 'tai khoan'],
  ['e', 'em'],
  ['a', 'anh'],
  ['ng', 'nguoi'],
  ['cty', 'cong ty'],
  ['dn', 'doanh nghiep'],
  ['hs', 'hoc sinh'],
  ['tdp', 'to dan pho'],
  ['dky', 'dang ky'],
]);

/**
 * Words that say nothing about what a question is about: particles, pronouns, question and function words.
 * After folding, one spelling can stand for several Vietnamese words, so a word is listed only when none of
 * them carries a topic: "ma" (ma túy, mã), "da" (đá), "con" (child), "tu" (tù, tự), "dau" (dấu hiệu), "ban"
 * (bán), "vay" (vay vốn), "an" (công an, ẩn danh) and "to" (tố giác) must stay. "co" and "khong" stay too:
 * measured on the evaluation set, keeping them matched better ("có bị", "không ma túy").
 */
const STOP_WORDS: Readonly<Record<TextLanguage, ReadonlySet<string>>> = {
  vi: new Set([
    'a', 'ah', 'ak', 'oi', 'nhe', 'nhi', 'the', 'thi', 'la', 'cua', 'nay', 'kia', 'roi', 'gi', 'nao', 'sao', 'ai',
    'nhu', 'ra', 'duoc', 'bi', 'cac', 'nhung', 'mot', 'nen', 'phai', 'lam', 'cung', 'toi', 'minh', 'em', 'anh',
    'chi', 'o', 've', 'khi', 'neu', 'va', 'hay', 'voi', 'de',
  ]),
  en: new Set([
    'a', 'an', 'the', 'is', 'are', 'am', 'was', 'be', 'been', 'of', 'in', 'on', 'at', 'for', 'to', 'from', 'with',
    'about', 'and', 'or', 'if', 'i', 'im', 'me', 'my', 'you', 'your', 'we', 'our', 'it', 'its', 'this', 'that',
    'there', 'do', 'does', 'did', 'can', 'will', 'should', 'have', 'has', 'what', 'whats', 'how', 'just', 'please',
    'someone', 'get',
  ]),
};

/**
 * Particles and forms of address that end a Vietnamese question ("... là gì vậy mọi người?"). Some fold to
 * a word that carries a topic elsewhere ("vậy" to "vay", as in "vay vốn"), so they are dropped only at the end.
 */
const TRAILING_PARTICLES: readonly (readonly string[])[] = [['vay'], ['ha'], ['oi'], ['moi', 'nguoi'], ['ban', 'oi']];

/**
 * Words that look like Vietnamese syllables but are English function words, so they count as English when
 * guessing the language of unaccented text.
 */
const ENGLISH_MARKERS: ReadonlySet<string> = new Set([
  'i', 'my', 'me', 'you', 'it', 'in', 'on', 'at', 'be', 'he', 'him', 'do', 'am', 'the', 'a', 'an', 'to', 'can', 'so',
  'no', 'we', 'up',
]);

/** The shape of a Vietnamese syllable without diacritics: initial consonant, vowels, final consonant. */
const VIETNAMESE_SYLLABLE = /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$/;

const COMBINING_MARKS = /\p{M}+/gu;
/** Vietnamese tone and vowel marks once decomposed (and not, say, the variation selector of an emoji). */
const VIETNAMESE_MARKS = /[\u0300-\u036f]/;
/** Apostrophes join English words ("what's", "I'm") rather than separate them. */
const APOSTROPHES = /['’]/g;
/** Anything that is not a letter or a digit separates words: punctuation, symbols, emoji, spaces. */
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
/** "khongggg", "oiii": no Vietnamese or English word has a letter three times in a row. */
const STRETCHED_LETTER = /(\p{L})\1{2,}/gu;
/** "2tr", "5trieu": a number glued to its unit. */
const NUMBER_THEN_LETTERS = /(\p{N})(\p{L})/gu;

interface Word {
  folded: string;
  /** Typed with tone or vowel marks, so not a shortcut: "ạ" is a particle, "a" is short for "anh". */
  marked: boolean;
}

function words(text: string): Word[] {
  // Composed first, so that a letter and its marks stay one word when splitting; decomposed word by word after.
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .split(SEPARATORS)
    .flatMap((word) => {
      const raw = word.normalize('NFD');
      const marked = VIETNAMESE_MARKS.test(raw);
      const folded = raw
        .replace(COMBINING_MARKS, '')
        .replace(/đ/g, 'd')
        .replace(STRETCHED_LETTER, '$1')
        .replace(NUMBER_THEN_LETTERS, '$1 $2');
      return folded.split(' ').filter((word) => word !== '').map((word) => ({ folded: word, marked }));
    });
}

/** Lowercase, without diacritics (đ becomes d), punctuation and emoji turned into spaces, spaces collapsed. */
export function foldText(text: string): string {
  return words(text)
    .map((word) => word.folded)
    .join(' ');
}

/**
 * Vietnamese when the text carries Vietnamese diacritics; otherwise by majority of its words, where a word is
 * English when it cannot be a Vietnamese syllable ("report", "drugs") or is a common English function word.
 * Ties go to Vietnamese, the language most residents write in.
 */
export function guessLanguage(text: string): TextLanguage {
  const all = words(text);
  if (/[đĐ]/.test(text) || all.some((word) => word.marked)) return 'vi';
  let english = 0;
  let vietnamese = 0;
  for (const { folded: word } of all) {
    if (/^\p{N}/u.test(word)) continue;
    if (VIETNAMESE_SHORTCUTS.has(word)) vietnamese += 1;
    else if (ENGLISH_MARKERS.has(word) || !VIETNAMESE_SYLLABLE.test(word)) english += 1;
    else vietnamese += 1;
  }
  return english > vietnamese ? 'en' : 'vi';
}

/** The folded words of the text, with Vietnamese chat shortcuts written out when the text is Vietnamese. */
export function normaliseWords(text: string, language: TextLanguage = guessLanguage(text)): string[] {
  const all = words(text);
  if (language === 'en') return all.map((word) => word.folded);
  return all.flatMap(({ folded, marked }) => (marked ? undefined : VIETNAMESE_SHORTCUTS.get(folded))?.split(' ') ?? [folded]);
}

function withoutTrailingParticles(words: string[]): string[] {
  let end = words.length;
  for (;;) {
    const particle = TRAILING_PARTICLES.find((p) => p.length <= end && p.every((word, i) => words[end - p.length + i] === word));
    if (!particle) return words.slice(0, end);
    end -= particle.length;
  }
}

/** The normalised text as one string. */
export function normalise(text: string, language?: TextLanguage): string {
  return normaliseWords(text, language).join(' ');
}

export function isStopWord(word: string, language: TextLanguage): boolean {
  return STOP_WORDS[language].has(word);
}

/** Removes `suffix` when a syllable remains, undoing a doubled final consonant ("shipping", "shipper"). */
function stripSuffix(word: string, suffix: RegExp): string {
  const stem = word.replace(suffix, '');
  if (stem === word || stem.length < 2 || !/[aeiouy]/.test(stem)) return word;
  return /([^aeiouylsz])\1$/.test(stem) ? stem.slice(0, -1) : stem;
}

/**
 * A light English stemmer, enough to let "selling"/"sells"/"sell", "dealer"/"dealing" and "using"/"use" meet:
 * plural "s", then "ing"/"ed", then "er", then a final "e".
 */
export function stemEnglish(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  let stem = word;
  if (stem.endsWith('ies')) stem = `${stem.slice(0, -3)}y`;
  else if (stem.endsWith('s') && !/(?:ss|us|is)$/.test(stem)) stem = stem.slice(0, -1);
  stem = stripSuffix(stripSuffix(stem, /(?:ing|ed)$/), /er$/);
  return stem.endsWith('e') && stem.length > 2 ? stem.slice(0, -1) : stem;
}

/**
 * The words that carry the topic of the text: normalised, stop words dropped, English words stemmed. These are
 * what the knowledge base is indexed and searched by.
 */
export function contentWords(text: string, language: TextLanguage = guessLanguage(text)): string[] {
  if (language === 'en') return normaliseWords(text, 'en').filter((word) => !isStopWord(word, 'en')).map(stemEnglish);
  return withoutTrailingParticles(normaliseWords(text, 'vi')).filter((word) => !isStopWord(word, 'vi'));
}
