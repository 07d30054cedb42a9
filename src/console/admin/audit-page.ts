import type { AuditEntry } from '../../audit/audit-log.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import { wallClock } from '../../platform/time-zone.js';
import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import { adminLayout, AUDIT_PATH } from './admin-page.js';

export interface AuditFilter {
  actor: string;
  action: string;
  subject: string;
}

export interface AuditView {
  entries: AuditEntry[];
  filter: AuditFilter;
  /** How many of the newest entries were searched, and the most shown. */
  searched: number;
  shownAtMost: number;
  timeZone: string;
}

function details(entry: AuditEntry): SafeHtml {
  const pairs = Object.entries(entry.details);
  if (pairs.length === 0) return html``;
  return html`<ul>${pairs.map(([key, value]) => html`<li>${key}: ${String(value)}</li>`)}</ul>`;
}

function entryRow(entry: AuditEntry, timeZone: string): SafeHtml {
  const at = new Date(entry.at);
  const when = Number.isNaN(at.getTime()) ? entry.at : `${wallClock(at, timeZone).date} ${wallClock(at, timeZone).time}`;
  return html`<tr><td><time datetime="${entry.at}">${when}</time></td><td>${entry.actor}</td><td>${entry.action}</td><td>${entry.subject}</td><td>${details(entry)}</td></tr>`;
}

function field(page: ConsolePage, name: keyof AuditFilter, value: string): SafeHtml {
  const { t } = page;
  return html`<div><label for="${name}">${t(`console:admin.audit.filter.${name}`)}</label>
<input id="${name}" name="${name}" type="search" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="200" value="${value}"></div>`;
}

export function auditPage(page: ConsolePage, view: AuditView): string {
  const { t } = page;
  const { filter } = view;
  const table =
    view.entries.length === 0
      ? html`<p>${t('console:admin.audit.empty')}</p>`
      : html`<div class="scroll"><table>
<thead><tr><th scope="col">${t('console:admin.audit.columns.time')}</th><th scope="col">${t('console:admin.audit.columns.actor')}</th><th scope="col">${t('console:admin.audit.columns.action')}</th><th scope="col">${t('console:admin.audit.columns.subject')}</th><th scope="col">${t('console:admin.audit.columns.details')}</th></tr></thead>
<tbody>${view.entries.map((entry) => entryRow(entry, view.timeZone))}</tbody>
</table></div>`;
  return adminLayout(
    page,
    t('console:admin.audit.title'),
    AUDIT_PATH,
    html`<h1>${t('console:admin.audit.title')}</h1>
<form method="get" action="${AUDIT_PATH}" class="filters" role="search">
<input type="hidden" name="lang" value="${page.locale}">
${field(page, 'actor', filter.actor)}${field(page, 'action', filter.action)}${field(page, 'subject', filter.subject)}
<button type="submit">${t('console:admin.audit.filter.submit')}</button>
</form>
<p class="hint">${t('console:admin.audit.scope', { searched: view.searched, shown: view.shownAtMost, timeZone: view.timeZone })} <a href="${inLanguage(AUDIT_PATH, page.locale)}">${t('console:admin.audit.filter.clear')}</a></p>
${table}`,
  );
}
