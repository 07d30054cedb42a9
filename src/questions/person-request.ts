import { contentWords, foldText, guessLanguage } from '../content/qa/normalise.js';

/**
 * Ways residents ask for a person rather than the bot, compared folded (lower case, no diacritics) as whole words,
 * so "gặp cán bộ", "Gap can bo" and "GẶP CÁN BỘ!" are one request.
 */
const PERSON_REQUESTS: readonly RegExp[] = [
  /(?:^| )(?:gap|hoi|lien he|lien lac|lien lac voi|noi chuyen voi|trao doi voi|can gap)(?: truc tiep)? (?:can bo|nguoi that|nhan vien|nguoi tra loi)(?= |$)/,
  /(?:^| )(?:talk|speak|chat) (?:to|with) (?:a |an )?(?:person|human|real person|real human|someone|staff|ward staff|officer|an officer)(?= |$)/,
  /(?:^| )ask (?:a |an )?(?:person|human|real person|staff|ward staff|officer)(?= |$)/,
];

/** Words that only dress up the request ("cho em gặp cán bộ phường với", "I would like to talk to a person now"). */
const REQUEST_FILLERS = new Set([
  'cho', 'xin', 'muon', 'can', 'phuong', 'oi', 'voi', 'nhe', 'ngay', 'duoc', 'khong', 'please', 'want', 'like', 'would', 'could',
  'need', 'ward', 'now', 'right', 'away',
]);

/** Fewer content words than this besides the request itself, and there is no question yet to pass on. */
const QUESTION_MIN_WORDS = 2;

export type PersonRequest = 'none' | 'only' | 'with-question';

/**
 * Whether the text asks for a person: on its own ("cho em gặp cán bộ"), or together with the question to pass on
 * ("hỏi cán bộ: khi nào phường họp tổ dân phố?").
 */
export function personRequest(text: string): PersonRequest {
  const folded = foldText(text);
  const request = PERSON_REQUESTS.find((pattern) => pattern.test(folded));
  if (!request) return 'none';
  const rest = folded.replace(request, ' ').split(' ').filter((word) => !REQUEST_FILLERS.has(word)).join(' ');
  return contentWords(rest, guessLanguage(text)).length < QUESTION_MIN_WORDS ? 'only' : 'with-question';
}
