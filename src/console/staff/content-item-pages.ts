import type { CampaignContent, MessageItem, QaEntry, Source } from '../../content/schemas.js';
import { SUPPORTED_LOCALES, type Locale } from '../../platform/config.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import { CHAT_STYLE, chatPreviewHtml } from './chat-preview.js';
import { LIBRARY_STYLE, validity } from './content-list-page.js';
import { messagePath, QA_PATH, qaPath } from './library-paths.js';
import { CONTENT_PATH, staffLayout } from './staff-page.js';

/** A text per language, placeholders filled in with the ward's values. */
export type RenderedTexts = Record<Locale, string>;

function sourceList(page: ConsolePage, sources: readonly Source[]): SafeHtml {
  return html`<h2>${page.t('console:library.sources')}</h2>
<ul>${sources.map((s) => html`<li>${s.url ? html`<a href="${s.url}" rel="noreferrer">${s.title}</a>` : s.title}</li>`)}</ul>`;
}

/** Per language, the text as residents will read it on each platform. */
function previews(page: ConsolePage, texts: RenderedTexts): SafeHtml {
  const { t } = page;
  return html`${CHAT_STYLE}<h2>${t('console:library.preview.title')}</h2>
<p class="hint">${t('console:library.preview.hint')}</p>
${SUPPORTED_LOCALES.map((locale) => html`<h3>${t(`console:staff.languages.${locale}`)}</h3>${chatPreviewHtml(page, locale, texts[locale])}`)}`;
}

/** When the campaign's calendar sends the message: dated entries, then weekly ones. */
function plannedTimes(page: ConsolePage, content: CampaignContent, id: string): string[] {
  const { t } = page;
  const { calendar } = content;
  return [
    ...calendar.entries.filter((e) => e.message === id).map((e) => `${e.date} ${e.at ?? calendar.default_time}`),
    ...calendar.weekly.filter((e) => e.message === id).map((e) => t('console:library.weekly', { weekday: t(`console:calendar.weekdays.${e.weekday}`), time: e.at })),
  ];
}

export function messageDetailPage(page: ConsolePage, content: CampaignContent, message: MessageItem, texts: RenderedTexts): string {
  const { t, locale } = page;
  const { campaign } = content;
  const planned = plannedTimes(page, content, message.id);
  return staffLayout(
    page,
    message.id,
    messagePath(campaign.id, message.id),
    html`${LIBRARY_STYLE}<p><a href="${inLanguage(CONTENT_PATH, locale)}">${t('console:library.back')}</a></p>
<h1>${message.id}</h1>
<dl>
<dt>${t('console:library.campaign')}</dt><dd>${campaign.name[locale]} (${campaign.id})</dd>
<dt>${t('console:library.topic')}</dt><dd>${t(`console:library.topics.${message.topic}`)}</dd>
<dt>${t('console:library.audience')}</dt><dd>${message.audience.map((a) => t(`console:library.audiences.${a}`)).join(', ')}</dd>
<dt>${t('console:library.tags')}</dt><dd>${message.tags.length > 0 ? message.tags.join(', ') : '—'}</dd>
<dt>${t('console:library.valid')}</dt><dd>${validity(page, message)}</dd>
${message.image ? html`<dt>${t('console:library.image')}</dt><dd>${message.image}</dd>` : ''}
<dt>${t('console:library.planned')}</dt><dd>${planned.length > 0 ? planned.join('; ') : t('console:library.notPlanned')}</dd>
</dl>
${sourceList(page, message.sources)}
${previews(page, texts)}`,
  );
}

export function qaDetailPage(page: ConsolePage, entry: QaEntry, texts: RenderedTexts): string {
  const { t, locale } = page;
  return staffLayout(
    page,
    entry.questions[locale][0]!,
    qaPath(entry.id),
    html`${LIBRARY_STYLE}<p><a href="${inLanguage(QA_PATH, locale)}">${t('console:library.qaBack')}</a></p>
<h1>${entry.questions[locale][0]}</h1>
<dl>
<dt>${t('console:library.id')}</dt><dd>${entry.id}</dd>
<dt>${t('console:library.topic')}</dt><dd>${t(`console:library.topics.${entry.topic}`)}</dd>
</dl>
<h2>${t('console:library.questions')}</h2>
${SUPPORTED_LOCALES.map((l) => html`<h3>${t(`console:staff.languages.${l}`)}</h3><ul lang="${l}">${entry.questions[l].map((q) => html`<li>${q}</li>`)}</ul>`)}
${entry.sources && entry.sources.length > 0 ? sourceList(page, entry.sources) : ''}
${previews(page, texts)}`,
  );
}
