import type { Role } from '../../accounts/schemas.js';
import type { UpcomingMilestone } from '../../milestones/campaign-milestones.js';
import { html, SafeHtml } from '../../platform/http/html.js';
import type { TipCategory } from '../../tips/schemas.js';
import { csrfField } from '../auth/csrf.js';
import { CONSOLE_PATH } from '../auth/cookies.js';
import { inLanguage, layout, LOGOUT_PATH, type ConsolePage } from '../auth/login-page.js';
import { areasFor } from './console-areas.js';
import { columnChart, shareChart } from './svg-charts.js';

export interface DashboardView {
  user: { username: string; displayName: string; role: Role; csrf: string };
  /** The days charted, on the ward's clock, oldest first. */
  days: readonly string[];
  /** Broadcast messages per day; only for the roles that run broadcasts. */
  messages?: { sent: readonly number[]; failed: readonly number[] };
  /** Tips received per day by category; only for the police and the admin, never for ward staff. */
  tips?: Readonly<Record<TipCategory, readonly number[]>>;
  /** Each group's broadcast deliveries over the days charted; only for the roles that run broadcasts. */
  groups?: ReadonlyArray<{ name: string; sent: number; failed: number }>;
  milestones: readonly UpcomingMilestone[];
}

const DASHBOARD_STYLE = new SafeHtml(`<style>
body{max-width:48rem}
nav ul,.legend{display:flex;flex-wrap:wrap;gap:.5rem 1rem;list-style:none;padding:0;margin:.5rem 0}
.chart{margin:1rem 0;background:#fff;border:1px solid #d0d4da;border-radius:.5rem;padding:.5rem}
.chart figcaption{font-weight:600;margin-bottom:.25rem}
.chart svg.plot{width:100%;height:auto;display:block}.legend svg{vertical-align:middle}
.milestones{padding-left:1.2rem}.milestones .soon{font-weight:600}
details{margin:.25rem 0 1rem}table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #d0d4da;padding:.2rem .4rem;text-align:right}th:first-child,td:first-child{text-align:left}
</style>`);

const dayMonth = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}`;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The figures behind a chart as a table, for whoever cannot or would rather not read the picture. */
function figuresTable(page: ConsolePage, days: readonly string[], series: ReadonlyArray<{ label: string; values: readonly number[] }>): SafeHtml {
  const { t } = page;
  return html`<details><summary>${t('console:dashboard.figures')}</summary><table><thead><tr><th scope="col">${t('console:dashboard.day')}</th>${series.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead><tbody>${days.map(
    (day, i) => html`<tr><th scope="row">${dayMonth(day)}</th>${series.map((s) => html`<td>${s.values[i] ?? 0}</td>`)}</tr>`,
  )}</tbody></table></details>`;
}

function milestoneList(page: ConsolePage, milestones: readonly UpcomingMilestone[]): SafeHtml {
  const { t, locale } = page;
  if (milestones.length === 0) return html`<p>${t('console:dashboard.noMilestones')}</p>`;
  return html`<ul class="milestones">${milestones.map(
    (m) => html`<li${m.daysLeft <= 3 ? html` class="soon"` : ''}><time datetime="${m.date}">${dayMonth(m.date)}/${m.date.slice(0, 4)}</time> — ${t(`milestones:kind.${m.kind}`)}: ${m.name[locale]} <small>(${m.daysLeft === 0 ? t('console:dashboard.today') : m.daysLeft === 1 ? t('console:dashboard.tomorrow') : t('console:dashboard.daysLeft', { days: m.daysLeft })})</small></li>`,
  )}</ul>`;
}

function messageCharts(page: ConsolePage, view: DashboardView): SafeHtml {
  const { t } = page;
  const { messages, groups, days } = view;
  if (!messages || !groups) return html``;
  const series = [
    { label: t('console:dashboard.sent'), values: messages.sent },
    { label: t('console:dashboard.failed'), values: messages.failed },
  ];
  const attempted = groups.filter((g) => g.sent + g.failed > 0);
  return html`<h2>${t('console:dashboard.messagesTitle')}</h2>
${columnChart({ title: t('console:dashboard.messagesChart'), summary: t('console:dashboard.messagesSummary', { sent: sum(messages.sent), failed: sum(messages.failed), days: days.length }), columns: days.map(dayMonth), series })}
${figuresTable(page, days, series)}
${
  attempted.length === 0
    ? html`<p>${t('console:dashboard.noDeliveries')}</p>`
    : shareChart(
        t('console:dashboard.groupsChart'),
        t('console:dashboard.groupsSummary', { groups: attempted.length, sent: sum(attempted.map((g) => g.sent)), attempted: sum(attempted.map((g) => g.sent + g.failed)) }),
        attempted.map((g) => ({ label: g.name, part: g.sent, whole: g.sent + g.failed })),
      )
}`;
}

function tipChart(page: ConsolePage, view: DashboardView): SafeHtml {
  const { t } = page;
  if (!view.tips) return html``;
  const series = (Object.entries(view.tips) as Array<[TipCategory, readonly number[]]>).map(([category, values]) => ({ label: t(`tips:category.${category}`), values }));
  const total = sum(series.flatMap((s) => s.values));
  return html`<h2>${t('console:dashboard.tipsTitle')}</h2>
${columnChart({ title: t('console:dashboard.tipsChart'), summary: t('console:dashboard.tipsSummary', { tips: total, days: view.days.length }), columns: view.days.map(dayMonth), series })}
${figuresTable(page, view.days, series)}`;
}

/** The console's home: where each of the user's areas is, what is coming up, and the last weeks at a glance. */
export function dashboardPage(page: ConsolePage, view: DashboardView): string {
  const { t, locale } = page;
  const { user } = view;
  const first = view.days[0];
  const last = view.days[view.days.length - 1];
  return layout(
    page,
    t('console:home.title'),
    CONSOLE_PATH,
    html`${DASHBOARD_STYLE}<h1>${t('console:home.title')}</h1>
<p>${t('console:home.signedInAs', { name: user.displayName, username: user.username, role: t(`console:roles.${user.role}`) })}</p>
<nav aria-label="${t('console:dashboard.areas')}"><ul>${areasFor(user.role).map((area) => html`<li><a href="${inLanguage(area.path, locale)}">${t(area.key)}</a></li>`)}</ul></nav>
<h2>${t('console:dashboard.milestonesTitle')}</h2>
${milestoneList(page, view.milestones)}
${first && last ? html`<p class="hint">${t('console:dashboard.period', { from: dayMonth(first), to: dayMonth(last) })}</p>` : ''}
${messageCharts(page, view)}
${tipChart(page, view)}
<form method="post" action="${inLanguage(LOGOUT_PATH, locale)}">
${csrfField(user.csrf)}
<button type="submit">${t('console:home.logout')}</button>
</form>`,
  );
}
