import { WEEKDAYS, type Campaign } from '../../content/schemas.js';
import { html, SafeHtml } from '../../platform/http/html.js';
import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import { schedulePath } from './broadcast-detail-page.js';
import type { CalendarDay, DayMark, DaySend } from './calendar-days.js';
import { calendarMonthPath, messagePath } from './library-paths.js';
import { monthGrid, monthOf, shiftMonth, weekdayOf, type Month } from './month-grid.js';
import { banner, CALENDAR_PATH, staffLayout } from './staff-page.js';

/** Sends a day's cell lists before "+k more": a schedule repeating through the day must not swamp the month. */
export const SENDS_PER_CELL = 4;

export interface CalendarView {
  month: Month;
  /** Today on the ward's clock, "YYYY-MM-DD". */
  today: string;
  days: ReadonlyMap<string, CalendarDay>;
  campaigns: readonly Campaign[];
  problem?: string | undefined;
}

/**
 * A table on a wide screen; on a narrow one each day becomes a block of its own, with its weekday written out and
 * the days without anything left out, so the month reads as a list.
 */
const CALENDAR_STYLE = new SafeHtml(`<style>
body{max-width:80rem}
.months{display:flex;flex-wrap:wrap;gap:1rem;margin:.5rem 0}
.month{width:100%;border-collapse:collapse;table-layout:fixed;background:#fff}
.month caption{font-size:1.2rem;font-weight:600;text-align:left;margin:.5rem 0}
.month th,.month td{border:1px solid #c3c8cf;vertical-align:top;padding:.3rem;font-size:.85rem;overflow-wrap:anywhere}
.month td.out{background:#eceef1}
.month td.today{outline:3px solid #0b57d0;outline-offset:-3px;background:#eef4ff}
.month .date{margin:0 0 .2rem;font-weight:600}
.month .full{display:none}
.month ul{list-style:none;margin:0;padding:0}
.month li{margin:.15rem 0}
.mark{background:#fff3c4;border-left:4px solid #8a6100;padding:.1rem .3rem}
.mark-report-deadline{background:#fde2e1;border-left-color:#a30000}
.kind{font-weight:600}
.more{margin:.2rem 0 0;font-style:italic}
@media (max-width:48rem){
.month,.month caption,.month tbody,.month tr,.month td{display:block;width:auto}
.month thead,.month td.out,.month td.empty:not(.today){display:none}
.month td{border-width:0 0 1px;padding:.5rem 0}
.month td.today{outline-offset:0}
.month .num{display:none}
.month .full{display:inline}
}
</style>`);

function monthName(page: ConsolePage, month: Month): string {
  const [year, mon] = month.split('-');
  return page.t('console:calendar.monthName', { name: page.t(`console:calendar.months.${Number(mon)}`), year });
}

function markItem(page: ConsolePage, mark: DayMark): SafeHtml {
  return html`<li class="mark mark-${mark.kind}"><span class="kind">${page.t(`console:calendar.marks.${mark.kind}`)}:</span> ${mark.name[page.locale]}</li>`;
}

function sendItem(page: ConsolePage, send: DaySend): SafeHtml {
  const { t, locale } = page;
  if (send.kind === 'broadcast') {
    return html`<li><a href="${inLanguage(schedulePath(send.schedule.id), locale)}">${send.time} ${send.schedule.title}</a> (${t(`broadcasts:status.${send.schedule.status}`)})</li>`;
  }
  return html`<li><span class="kind">${t('console:calendar.planned')}:</span> <a href="${inLanguage(messagePath(send.campaign, send.message), locale)}">${send.time} ${send.message}</a></li>`;
}

function moreText(page: ConsolePage, day: CalendarDay): string | undefined {
  const hidden = day.sends.length - SENDS_PER_CELL;
  if (hidden <= 0 && !day.cut) return undefined;
  return day.cut ? page.t('console:calendar.moreAtLeast', { count: Math.max(hidden, 1) }) : page.t('console:calendar.more', { count: hidden });
}

function dayCell(page: ConsolePage, date: string | undefined, view: CalendarView): SafeHtml {
  if (date === undefined) return html`<td class="out"></td>`;
  const { t } = page;
  const day = view.days.get(date) ?? { marks: [], sends: [], cut: false };
  const today = date === view.today;
  const empty = day.marks.length === 0 && day.sends.length === 0;
  const classes = [today ? 'today' : '', empty ? 'empty' : ''].filter(Boolean).join(' ');
  const more = moreText(page, day);
  return html`<td id="day-${date}"${classes ? html` class="${classes}"` : ''}${today ? html` aria-current="date"` : ''}>
<p class="date"><span class="num">${Number(date.slice(8))}</span><span class="full">${t(`console:calendar.weekdays.${weekdayOf(date)}`)}, ${date}</span>${today ? html` <span class="kind">${t('console:calendar.today')}</span>` : ''}</p>
${day.marks.length > 0 ? html`<ul>${day.marks.map((m) => markItem(page, m))}</ul>` : ''}
${day.sends.length > 0 ? html`<ul>${day.sends.slice(0, SENDS_PER_CELL).map((s) => sendItem(page, s))}</ul>` : ''}
${more ? html`<p class="more">${more}</p>` : ''}
</td>`;
}

/** The month as an accessible table, Monday first, with the way to the months around it and to each campaign. */
export function calendarPage(page: ConsolePage, view: CalendarView): string {
  const { t, locale } = page;
  const { month } = view;
  const previous = shiftMonth(month, -1);
  const next = shiftMonth(month, 1);
  return staffLayout(
    page,
    t('console:calendar.title'),
    CALENDAR_PATH,
    html`${CALENDAR_STYLE}<h1>${t('console:calendar.title')}</h1>
${banner(view)}
<nav class="months" aria-label="${t('console:calendar.monthsLabel')}">
<a href="${calendarMonthPath(previous, page)}" rel="prev">← ${monthName(page, previous)}</a>
<a href="${calendarMonthPath(monthOf(view.today), page)}">${t('console:calendar.thisMonth')}</a>
<a href="${calendarMonthPath(next, page)}" rel="next">${monthName(page, next)} →</a>
</nav>
${view.campaigns.length > 0 ? html`<p>${t('console:calendar.campaigns')} ${view.campaigns.map((c, i) => html`${i > 0 ? ', ' : ''}<a href="${calendarMonthPath(monthOf(c.period.from), page)}">${c.name[locale]} (${c.id})</a>`)}</p>` : ''}
<p class="hint">${t('console:calendar.hint')}</p>
<table class="month">
<caption>${monthName(page, month)}</caption>
<thead><tr>${WEEKDAYS.map((d) => html`<th scope="col"><abbr title="${t(`console:calendar.weekdays.${d}`)}">${t(`console:calendar.weekdaysShort.${d}`)}</abbr></th>`)}</tr></thead>
<tbody>
${monthGrid(month).map((week) => html`<tr>${week.map((date) => dayCell(page, date, view))}</tr>\n`)}
</tbody>
</table>`,
  );
}
