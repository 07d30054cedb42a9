import { ROLES, type Role, type UserSummary } from '../../accounts/schemas.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import { wallClock } from '../../platform/time-zone.js';
import { csrfField } from '../auth/csrf.js';
import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import { adminLayout, flash, USERS_PATH } from './admin-page.js';

export const DISABLE_PATH = `${USERS_PATH}/disable`;

export interface UsersView {
  users: UserSummary[];
  /** The signed-in admin, who may not disable their own account. */
  self: string;
  csrf: string;
  timeZone: string;
  message?: { problem?: string; notice?: SafeHtml | string };
  /** What was typed into the add form, kept when it is shown again with a problem. */
  draft?: { username: string; displayName: string; role: string };
}

function userRow(page: ConsolePage, view: UsersView, user: UserSummary): SafeHtml {
  const { t } = page;
  const canDisable = user.status === 'active' && user.username !== view.self;
  return html`<tr>
<td>${user.username}</td><td>${user.displayName}</td><td>${t(`console:roles.${user.role}`)}</td>
<td>${t(`console:admin.users.status.${user.status}`)}</td><td>${wallClock(new Date(user.createdAt), view.timeZone).date}</td>
<td>${
    canDisable
      ? html`<form method="post" action="${inLanguage(DISABLE_PATH, page.locale)}">${csrfField(view.csrf)}<input type="hidden" name="username" value="${user.username}"><button type="submit" aria-label="${t('console:admin.users.disable.label', { username: user.username })}">${t('console:admin.users.disable.submit')}</button></form>`
      : ''
  }</td>
</tr>`;
}

function roleOption(page: ConsolePage, role: Role, chosen: string | undefined): SafeHtml {
  return html`<option value="${role}"${role === chosen ? html` selected` : ''}>${page.t(`console:roles.${role}`)}</option>`;
}

export function usersPage(page: ConsolePage, view: UsersView): string {
  const { t } = page;
  const draft = view.draft;
  const table =
    view.users.length === 0
      ? html`<p>${t('console:admin.users.empty')}</p>`
      : html`<div class="scroll"><table>
<caption class="hint">${t('console:admin.users.caption', { count: view.users.length })}</caption>
<thead><tr><th scope="col">${t('console:admin.users.columns.username')}</th><th scope="col">${t('console:admin.users.columns.displayName')}</th><th scope="col">${t('console:admin.users.columns.role')}</th><th scope="col">${t('console:admin.users.columns.status')}</th><th scope="col">${t('console:admin.users.columns.created')}</th><th scope="col">${t('console:admin.users.columns.action')}</th></tr></thead>
<tbody>${view.users.map((user) => userRow(page, view, user))}</tbody>
</table></div>`;
  return adminLayout(
    page,
    t('console:admin.users.title'),
    USERS_PATH,
    html`<h1>${t('console:admin.users.title')}</h1>
${flash(view.message)}
${table}
<h2>${t('console:admin.users.add.title')}</h2>
<form method="post" action="${inLanguage(USERS_PATH, page.locale)}">
${csrfField(view.csrf)}
<label for="username">${t('console:admin.users.add.username')}</label>
<p class="hint" id="username-hint">${t('console:admin.users.add.usernameHint')}</p>
<input id="username" name="username" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" required maxlength="32" aria-describedby="username-hint" value="${draft?.username ?? ''}">
<label for="displayName">${t('console:admin.users.add.displayName')}</label>
<input id="displayName" name="displayName" type="text" autocomplete="off" required maxlength="80" value="${draft?.displayName ?? ''}">
<label for="role">${t('console:admin.users.add.role')}</label>
<select id="role" name="role" required>${ROLES.map((role) => roleOption(page, role, draft?.role ?? 'staff'))}</select>
<button type="submit">${t('console:admin.users.add.submit')}</button>
</form>`,
  );
}

/** The one time a generated password is shown: it is not stored anywhere it could be read back. */
export function addedNotice(page: ConsolePage, user: UserSummary, password: string, needsSecondFactor: boolean): SafeHtml {
  const { t } = page;
  return html`<p>${t('console:admin.users.added', { username: user.username, role: t(`console:roles.${user.role}`) })}</p>
<p>${t('console:admin.users.password')}</p>
<p><code class="secret" aria-label="${t('console:admin.users.passwordLabel')}">${password}</code></p>
${needsSecondFactor ? html`<p>${t('console:admin.users.secondFactor', { username: user.username })}</p>` : ''}`;
}
