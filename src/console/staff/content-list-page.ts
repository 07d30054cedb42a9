import { z } from 'zod';
import { AUDIENCES, kebabIdSchema, MESSAGE_TOPICS, type CampaignContent, type ContentLibrary, type MessageItem, type QaEntry } from '../../content/schemas.js';
import { html, SafeHtml } from '../../platform/http/html.js';
import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import { calendarMonthPath, messagePath, QA_PATH, qaPath } from './library-paths.js';
import { monthOf } from './month-grid.js';
import { CONTENT_PATH, staffLayout } from './staff-page.js';

/** A filter naming nothing we know is dropped rather than refused: the list then shows more, never an error. */
export const contentFilterSchema = z.object({
  campaign: kebabIdSchema.optional().catch(undefined),
  topic: z.enum(MESSAGE_TOPICS).optional().catch(undefined),
  audience: z.enum(AUDIENCES).optional().catch(undefined),
});
export type ContentFilter = z.infer<typeof contentFilterSchema>;

export const LIBRARY_STYLE = new SafeHtml(`<style>
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.5rem 1rem;align-items:end}
.filters div{display:grid;gap:.25rem}
.filters button{width:auto}
.items{list-style:none;padding:0;margin:0}
.items li{border-top:1px solid #d0d4da;padding:.5rem 0}
.items li p{margin:.15rem 0}
.meta{color:#3d4248;font-size:.92rem}
@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}}
</style>`);

function option(value: string, label: string, selected: boolean): SafeHtml {
  return html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
}

function select(id: string, label: string, all: string, options: ReadonlyArray<[string, string]>, chosen: string | undefined): SafeHtml {
  return html`<div><label for="${id}">${label}</label><select id="${id}" name="${id}">${option('', all, chosen === undefined)}${options.map(([value, text]) => option(value, text, value === chosen))}</select></div>`;
}

function filterForm(page: ConsolePage, library: ContentLibrary, filter: ContentFilter): SafeHtml {
  const { t, locale } = page;
  return html`<form method="get" action="${CONTENT_PATH}" class="filters">
<input type="hidden" name="lang" value="${locale}">
${select('campaign', t('console:library.campaign'), t('console:library.all'), library.campaigns.map((c) => [c.campaign.id, `${c.campaign.name[locale]} (${c.campaign.id})`] as [string, string]), filter.campaign)}
${select('topic', t('console:library.topic'), t('console:library.all'), MESSAGE_TOPICS.map((topic) => [topic, t(`console:library.topics.${topic}`)] as [string, string]), filter.topic)}
${select('audience', t('console:library.audience'), t('console:library.all'), AUDIENCES.map((a) => [a, t(`console:library.audiences.${a}`)] as [string, string]), filter.audience)}
<button type="submit">${t('console:library.applyFilter')}</button>
</form>`;
}

/** The days a message may be sent on; an open end is bounded by the campaign's period only. */
export function validity(page: ConsolePage, message: MessageItem): string {
  const { t } = page;
  if (message.valid_from === undefined && message.valid_to === undefined) return t('console:library.validAlways');
  return t('console:library.validRange', { from: message.valid_from ?? '…', to: message.valid_to ?? '…' });
}

function messageItem(page: ConsolePage, campaign: string, m: MessageItem): SafeHtml {
  const { t, locale } = page;
  return html`<li><p><a href="${inLanguage(messagePath(campaign, m.id), locale)}">${m.id}</a></p>
<p class="meta">${t(`console:library.topics.${m.topic}`)} · ${m.audience.map((a) => t(`console:library.audiences.${a}`)).join(', ')} · ${validity(page, m)}${m.tags.length > 0 ? ` · ${t('console:library.tagList', { tags: m.tags.join(', ') })}` : ''}</p></li>`;
}

function campaignSection(page: ConsolePage, content: CampaignContent, messages: readonly MessageItem[]): SafeHtml {
  const { t, locale } = page;
  const { campaign } = content;
  return html`<section class="card" aria-labelledby="c-${campaign.id}">
<h2 id="c-${campaign.id}">${campaign.name[locale]}</h2>
<p>${campaign.theme[locale]}</p>
<dl>
<dt>${t('console:library.organisation')}</dt><dd>${campaign.organisation[locale]}</dd>
<dt>${t('console:library.period')}</dt><dd>${t('console:library.validRange', { from: campaign.period.from, to: campaign.period.to })}</dd>
<dt>${t('console:library.id')}</dt><dd>${campaign.id}</dd>
</dl>
<p><a href="${calendarMonthPath(monthOf(campaign.period.from), page)}">${t('console:library.onCalendar')}</a></p>
<h3>${t('console:library.messages', { shown: messages.length, total: content.messages.length })}</h3>
${messages.length === 0 ? html`<p>${t('console:library.noMatch')}</p>` : html`<ul class="items">${messages.map((m) => messageItem(page, campaign.id, m))}</ul>`}
</section>`;
}

function matches(filter: ContentFilter, m: MessageItem): boolean {
  return (filter.topic === undefined || m.topic === filter.topic) && (filter.audience === undefined || m.audience.includes(filter.audience));
}

/** Every campaign of the loaded library with its messages, narrowed by campaign, topic and audience. */
export function contentListPage(page: ConsolePage, library: ContentLibrary, filter: ContentFilter): string {
  const { t, locale } = page;
  const campaigns = library.campaigns.filter((c) => filter.campaign === undefined || c.campaign.id === filter.campaign);
  return staffLayout(
    page,
    t('console:library.title'),
    CONTENT_PATH,
    html`${LIBRARY_STYLE}<h1>${t('console:library.title')}</h1>
<p><a href="${inLanguage(QA_PATH, locale)}">${t('console:library.qaLink', { count: library.qa.length })}</a></p>
${filterForm(page, library, filter)}
${campaigns.length === 0 ? html`<p>${t('console:library.noCampaign')}</p>` : campaigns.map((c) => campaignSection(page, c, c.messages.filter((m) => matches(filter, m))))}`,
  );
}

/** The question-and-answer entries the assistant answers residents from. */
export function qaListPage(page: ConsolePage, qa: readonly QaEntry[]): string {
  const { t, locale } = page;
  return staffLayout(
    page,
    t('console:library.qaTitle'),
    QA_PATH,
    html`${LIBRARY_STYLE}<p><a href="${inLanguage(CONTENT_PATH, locale)}">${t('console:library.back')}</a></p>
<h1>${t('console:library.qaTitle')}</h1>
${qa.length === 0 ? html`<p>${t('console:library.noQa')}</p>` : html`<ul class="items">${qa.map(
  (entry) => html`<li><p><a href="${inLanguage(qaPath(entry.id), locale)}">${entry.questions[locale][0]}</a></p>
<p class="meta">${entry.id} · ${t(`console:library.topics.${entry.topic}`)}</p></li>`,
)}</ul>`}`,
  );
}
