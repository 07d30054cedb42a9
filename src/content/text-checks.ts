import type { TFunction } from '../platform/i18n.js';
import type { ItemFile, Section } from './item-file.js';
import type { Problems } from './problems.js';
import { isPlaceholder, PLACEHOLDER_MAX_LENGTH, PLACEHOLDER_PATTERN, PLACEHOLDERS } from './render.js';
import type { Localised } from './schemas.js';

/** The smallest text limit of the platforms we send to (Zalo: 2000 characters). */
export const TEXT_LIMIT = 2000;
/** Above this, a message is long for a chat group even if it still fits. */
export const TEXT_WARNING_LENGTH = 1500;

const LANGUAGES = ['vi', 'en'] as const;
type Language = (typeof LANGUAGES)[number];

function isLanguage(heading: string): heading is Language {
  return (LANGUAGES as readonly string[]).includes(heading);
}

/** Length once every placeholder holds its longest allowed value. */
export function worstCaseLength(text: string): number {
  return text.replace(PLACEHOLDER_PATTERN, (whole, name: string) => (isPlaceholder(name) ? 'x'.repeat(PLACEHOLDER_MAX_LENGTH[name]) : whole)).length;
}

function checkPlaceholders(section: Section, file: string, problems: Problems, t: TFunction): void {
  section.lines.forEach((text, i) => {
    const line = section.line + 1 + i;
    for (const [whole, name = ''] of text.matchAll(PLACEHOLDER_PATTERN)) {
      if (!isPlaceholder(name)) problems.error(file, line, t('content:problems.unknownPlaceholder', { placeholder: whole, allowed: PLACEHOLDERS.join(', ') }));
    }
    const rest = text.replace(PLACEHOLDER_PATTERN, '');
    if (rest.includes('{{') || rest.includes('}}')) problems.error(file, line, t('content:problems.unbalancedBraces', { open: '{{', close: '}}' }));
  });
}

function checkLength(text: string, lang: Language, line: number, file: string, problems: Problems, t: TFunction): void {
  const length = worstCaseLength(text);
  if (length > TEXT_LIMIT) problems.error(file, line, t('content:problems.tooLong', { lang, length, limit: TEXT_LIMIT }));
  else if (length > TEXT_WARNING_LENGTH) problems.warning(file, line, t('content:problems.long', { lang, length, limit: TEXT_WARNING_LENGTH }));
}

/** Checks the `## vi` / `## en` body and returns both texts, or undefined when either is unusable. */
export function readSections(item: ItemFile, file: string, problems: Problems, t: TFunction): Localised | undefined {
  for (const line of item.strayLines) problems.error(file, line, t('content:problems.textBeforeSection'));
  const found = new Map<Language, Section>();
  for (const section of item.sections) {
    if (!isLanguage(section.heading)) problems.error(file, section.line, t('content:problems.unknownSection', { heading: section.heading }));
    else if (found.has(section.heading)) problems.error(file, section.line, t('content:problems.duplicateSection', { lang: section.heading }));
    else found.set(section.heading, section);
  }

  const texts: Partial<Localised> = {};
  for (const lang of LANGUAGES) {
    const section = found.get(lang);
    if (!section) {
      problems.error(file, item.bodyLine, t('content:problems.missingSection', { lang }));
      continue;
    }
    const text = section.lines.join('\n').trim();
    if (text === '') {
      problems.error(file, section.line, t('content:problems.emptySection', { lang }));
      continue;
    }
    checkPlaceholders(section, file, problems, t);
    checkLength(text, lang, section.line, file, problems, t);
    texts[lang] = text;
  }
  return texts.vi !== undefined && texts.en !== undefined ? { vi: texts.vi, en: texts.en } : undefined;
}
