import { html, SafeHtml } from '../../platform/http/html.js';
import type { TFunction } from '../../platform/i18n.js';
import { wallClock } from '../../platform/time-zone.js';
import type { TipRecord } from '../../tips/schemas.js';
import { CONSOLE_PATH } from '../auth/cookies.js';
import type { ConsolePage } from '../auth/login-page.js';

export const TIPS_PATH = `${CONSOLE_PATH}/tips`;
export const tipPath = (id: string) => `${TIPS_PATH}/${id}`;
export const photoPath = (id: string, n: number) => `${tipPath(id)}/photos/${n}`;

export interface PolicePage extends ConsolePage {
  timeZone: string;
  now: Date;
}

/** A problem already worded in the page's language, for one form field (or the whole form when `field` is absent). */
export interface ShownProblem {
  field?: string;
  message: string;
}

/** Added to the sign-in layout's style: what lists, threads and the extra form controls need. */
export const POLICE_STYLE = new SafeHtml(`<style>
select,textarea{font:inherit;padding:.6rem;border:1px solid #8a929c;border-radius:.4rem;width:100%;box-sizing:border-box;background:#fff}
select:focus,textarea:focus{outline:3px solid #f0b400;outline-offset:2px}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.cards{list-style:none;padding:0;margin:0}.cards>li{background:#fff;border:1px solid #c4c9d0;border-radius:.5rem;padding:.5rem .75rem;margin:.5rem 0}
.cards>li.stale{border:2px solid #a30000}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.25rem 0 0}.facts dt{font-weight:600}.facts dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;background:#a30000;color:#fff;font-weight:600;font-size:.85rem;border-radius:.3rem;padding:0 .4rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0 0}.who{font-size:.85rem;color:#4a4f55;margin:0}
.cards>li.tipster{background:#d9f2e6}
.photo{max-width:100%;height:auto;border-radius:.4rem}
.field-problem{color:#a30000;font-weight:600;margin:0}
fieldset{border:1px solid #c4c9d0;border-radius:.5rem;padding:.75rem;display:grid;gap:.5rem}legend{font-weight:600}
</style>`);

/** A moment on the ward's clock, with the exact instant for machines. */
export function when(page: PolicePage, iso: string): SafeHtml {
  const { date, time } = wallClock(new Date(iso), page.timeZone);
  return html`<time datetime="${iso}">${date} ${time}</time>`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long the tip has waited: minutes, hours or days, and a mark when a tip still new has waited over a day. */
export function age(page: PolicePage, tip: TipRecord): { text: string; stale: boolean } {
  const waited = Math.max(0, page.now.getTime() - Date.parse(tip.createdAt));
  const { t } = page;
  const text =
    waited < HOUR
      ? t('console:police.age.minutes', { n: Math.floor(waited / MINUTE) })
      : waited < DAY
        ? t('console:police.age.hours', { n: Math.floor(waited / HOUR) })
        : t('console:police.age.days', { n: Math.floor(waited / DAY) });
  return { text, stale: tip.status === 'new' && waited > DAY };
}

export function staleBadge(t: TFunction): SafeHtml {
  return html`<span class="badge">${t('console:police.age.stale')}</span>`;
}

export function problemsBox(t: TFunction, message: string | undefined, problems: readonly ShownProblem[]): SafeHtml {
  if (!message && problems.length === 0) return html``;
  return html`<div class="problem" role="alert"><p>${message ?? t('console:police.errors.invalid')}</p>${
    problems.length ? html`<ul>${problems.map((p) => html`<li>${p.message}</li>`)}</ul>` : ''
  }</div>`;
}

/** A field's own problem, next to it; `id` ties it to the input with aria-describedby. */
export function fieldProblem(problems: readonly ShownProblem[], field: string, id: string): SafeHtml {
  const found = problems.filter((p) => p.field === field);
  return found.length ? html`<p class="field-problem" id="${id}">${found.map((p) => p.message).join(' ')}</p>` : html``;
}

export function invalidAttrs(problems: readonly ShownProblem[], field: string, id: string): SafeHtml {
  return problems.some((p) => p.field === field) ? html` aria-invalid="true" aria-describedby="${id}"` : html``;
}
