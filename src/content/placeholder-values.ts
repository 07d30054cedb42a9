import type { Config, Locale } from '../platform/config.js';
import type { TFunction } from '../platform/i18n.js';
import type { PlaceholderValues } from './render.js';

/** Where residents fill in the web form, once the service has a public address. */
export function tipFormUrl(config: Config): string {
  return `${config.publicUrl ?? `http://${config.http.host}:${config.http.port}`}/to-giac`;
}

/**
 * The ward's own facts for message placeholders, in one language. A fact the ward has not configured is replaced by
 * a neutral wording ("the ward police's phone number — ask your group leader"), never by an invented value.
 */
export function placeholderValues(config: Config, locale: Locale, t: TFunction): PlaceholderValues {
  const { ward } = config;
  return {
    ward_name: (locale === 'en' ? ward.nameEn : ward.name) ?? t('content:placeholders.wardName'),
    police_phone: ward.policePhone ?? t('content:placeholders.policePhone'),
    police_address: ward.policeAddress ?? t('content:placeholders.policeAddress'),
    office_hours: ward.officeHours ?? t('content:placeholders.officeHours'),
    tip_form_url: tipFormUrl(config),
  };
}
