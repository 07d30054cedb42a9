import { html } from '../../platform/http/html.js';
import { TIP_CATEGORIES, TIP_STATUSES, type TipRecord } from '../../tips/schemas.js';
import { inLanguage, layout } from '../auth/login-page.js';
import { age, fieldProblem, invalidAttrs, POLICE_STYLE, problemsBox, staleBadge, tipPath, TIPS_PATH, type PolicePage, type ShownProblem } from './police-view.js';

/** The filter form's values as typed, shown again as they were. */
export type QueueValues = Partial<Record<'status' | 'category' | 'from' | 'to' | 'id', string>>;

function choices(values: readonly string[], chosen: string | undefined, label: (value: string) => string, anyLabel: string) {
  return html`<option value="">${anyLabel}</option>${values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${label(v)}</option>`)}`;
}

/** The tip queue: most urgent first, then oldest; a filter form above it. */
export function queuePage(page: PolicePage, input: { values: QueueValues; tips?: readonly TipRecord[]; message?: string; problems?: readonly ShownProblem[] }): string {
  const { t, locale } = page;
  const { values, tips } = input;
  const problems = input.problems ?? [];
  const text = (field: 'from' | 'to' | 'id', type: string, extra = html``) =>
    html`<label for="f-${field}">${t(`console:police.queue.${field}`)}</label>
${fieldProblem(problems, field, `f-${field}-problem`)}
<input id="f-${field}" name="${field}" type="${type}" value="${values[field] ?? ''}"${extra}${invalidAttrs(problems, field, `f-${field}-problem`)}>`;
  const rows = (tips ?? []).map((tip) => {
    const waited = age(page, tip);
    return html`<li${waited.stale ? html` class="stale"` : ''}>
<a href="${inLanguage(tipPath(tip.id), locale)}"><strong>${tip.id}</strong></a> ${waited.stale ? staleBadge(t) : ''}
<dl class="facts">
<dt>${t('console:police.fields.category')}</dt><dd>${t(`tips:category.${tip.category}`)}</dd>
<dt>${t('console:police.fields.status')}</dt><dd>${t(`console:police.status.${tip.status}`)}</dd>
<dt>${t('console:police.fields.priority')}</dt><dd>${t(`console:police.priority.${tip.priority}`)}</dd>
<dt>${t('console:police.fields.age')}</dt><dd>${waited.text}</dd>
<dt>${t('console:police.fields.claimedBy')}</dt><dd>${tip.claimedBy ?? t('console:police.fields.unclaimed')}</dd>
</dl>
</li>`;
  });
  return layout(
    page,
    t('console:police.queue.title'),
    TIPS_PATH,
    html`${POLICE_STYLE}<h1>${t('console:police.queue.title')}</h1>
${problemsBox(t, input.message, problems)}
<form method="get" action="${TIPS_PATH}">
<input type="hidden" name="lang" value="${locale}">
<label for="f-status">${t('console:police.fields.status')}</label>
<select id="f-status" name="status">${choices(TIP_STATUSES, values.status, (s) => t(`console:police.status.${s}`), t('console:police.queue.any'))}</select>
<label for="f-category">${t('console:police.fields.category')}</label>
<select id="f-category" name="category">${choices(TIP_CATEGORIES, values.category, (c) => t(`tips:category.${c}`), t('console:police.queue.any'))}</select>
${text('from', 'date')}
${text('to', 'date')}
${text('id', 'text', html` placeholder="t-3f9a2c71d0" autocapitalize="none" spellcheck="false"`)}
<button type="submit">${t('console:police.queue.apply')}</button>
</form>
<p><a href="${inLanguage(TIPS_PATH, locale)}">${t('console:police.queue.clear')}</a></p>
${tips === undefined ? '' : html`<h2>${t('console:police.queue.count', { count: tips.length })}</h2>
${tips.length === 0 ? html`<p>${t('console:police.queue.empty')}</p>` : html`<ol class="cards">${rows}</ol>`}`}`,
  );
}
