import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { SUPPORTED_LOCALES, type Locale } from './config.js';
import { localesDir } from './paths.js';

export type { TFunction } from 'i18next';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Reads `locales/<lng>/<namespace>.json` for every supported language. */
export function readLocaleResources(dir: string = localesDir): Resources {
  const resources: Resources = {};
  for (const lng of SUPPORTED_LOCALES) {
    resources[lng] = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng][basename(file, '.json')] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    }
  }
  return resources;
}

export interface Translator {
  /** A translate function fixed to one language: use one per message, never a shared mutable language. */
  t(locale: Locale): TFunction;
  readonly i18n: I18n;
}

export async function createTranslator(defaultLocale: Locale, dir?: string): Promise<Translator> {
  const resources = readLocaleResources(dir);
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: defaultLocale,
    fallbackLng: 'vi',
    supportedLngs: [...SUPPORTED_LOCALES],
    ns: Object.keys(resources.vi ?? {}),
    defaultNS: false,
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
    // Chat messages are plain text; HTML pages escape on output themselves.
    interpolation: { escapeValue: false },
  });
  return { i18n: instance, t: (locale) => instance.getFixedT(locale) };
}
