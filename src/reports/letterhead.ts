import type { Locale } from '../platform/config.js';
import type { TFunction } from '../platform/i18n.js';
import { wallClock } from '../platform/time-zone.js';
import type { CampaignReport } from './schemas.js';

/** "2026-06-01" → "01/06/2026", as periods are written in Vietnamese documents. */
export function dayMonthYear(date: string): string {
  const [year, month, day] = date.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * The words an administrative document's header and signature use, worded for the ward. The place-and-date line
 * follows the Vietnamese rule for documents: a zero before days under 10 and before the months 1 and 2.
 */
export function letterhead(report: CampaignReport, t: TFunction, locale: Locale) {
  const ward = locale === 'en' ? report.ward.nameEn : report.ward.name;
  // "phường Lê Chân" is dated "Lê Chân, ngày …", and "Le Chan Ward" "Le Chan, …".
  const place = ward?.replace(/^(phường|xã|thị trấn|đặc khu)\s+/iu, '').replace(/\s+(ward|commune|town)$/iu, '');
  const today = wallClock(new Date(report.generatedAt), report.period.timeZone);
  const [year, month, day] = today.date.split('-').map(Number) as [number, number, number];
  const subject = report.campaign
    ? t('reports:document.subjectCampaign', { campaign: report.campaign.name[locale] })
    : t('reports:document.subjectPeriod');
  return {
    committee: t('reports:document.committee'),
    ward: ward ? ward.toLocaleUpperCase(locale) : t('reports:document.unnamedWard'),
    nation: t('reports:document.nation'),
    motto: t('reports:document.motto'),
    number: t('reports:document.number'),
    placeDate: t('reports:document.placeDate', {
      place: place || t('reports:document.unnamedPlace'),
      day: String(day).padStart(2, '0'),
      month: month <= 2 ? String(month).padStart(2, '0') : String(month),
      year,
    }),
    title: t('reports:document.title'),
    subject,
    period: t('reports:document.period', { from: dayMonthYear(report.period.from), to: dayMonthYear(report.period.to) }),
    intro: t('reports:document.intro', {
      committee: ward ? t('reports:document.committeeOf', { ward }) : t('reports:document.committeeUnnamed'),
      from: dayMonthYear(report.period.from),
      to: dayMonthYear(report.period.to),
    }),
    source: t('reports:document.source', { date: dayMonthYear(today.date), time: today.time }),
    closing: t('reports:document.closing'),
    recipients: t('reports:document.recipients'),
    recipientLines: [t('reports:document.recipientBlank'), t('reports:document.archive')],
    signerOnBehalf: t('reports:document.signerOnBehalf'),
    signerTitle: t('reports:document.signerTitle'),
    signHint: t('reports:document.signHint'),
  };
}
export type Letterhead = ReturnType<typeof letterhead>;
