import { html, SafeHtml } from '../../platform/http/html.js';
import { CONSOLE_PATH } from '../auth/cookies.js';
import { inLanguage, layout, type ConsolePage } from '../auth/login-page.js';

export const USERS_PATH = `${CONSOLE_PATH}/users`;
export const AUDIT_PATH = `${CONSOLE_PATH}/audit`;
export const QUEUES_PATH = `${CONSOLE_PATH}/queues`;

/** The login layout is sized for one narrow form; admin pages hold tables, which may scroll sideways on a phone. */
const STYLE = `
body{max-width:64rem}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.5rem 0}
nav a[aria-current]{font-weight:700;text-decoration:none;color:#1b1b1b}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #d5d9de}
td form{margin:0}td button{padding:.4rem .7rem;width:auto}
select{font:inherit;padding:.6rem;border:1px solid #8a929c;border-radius:.4rem;width:100%;box-sizing:border-box}
code.secret{font-size:1.2rem;background:#fff;padding:.2rem .4rem;border:1px dashed #4a4f55;user-select:all}
.filters{grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));align-items:end}
`;

const NAV: ReadonlyArray<{ path: string; key: 'home' | 'users' | 'audit' | 'queues' }> = [
  { path: CONSOLE_PATH, key: 'home' },
  { path: USERS_PATH, key: 'users' },
  { path: AUDIT_PATH, key: 'audit' },
  { path: QUEUES_PATH, key: 'queues' },
];

/** An admin page: the console layout with the admin sections' navigation, the current one marked for screen readers. */
export function adminLayout(page: ConsolePage, title: string, path: string, body: SafeHtml): string {
  const { t } = page;
  // The queue dashboard is its own application and has no language switch, so its link carries none.
  const href = (to: string) => (to === QUEUES_PATH ? `${QUEUES_PATH}/` : inLanguage(to, page.locale));
  const links = NAV.map(
    (item) => html`<li><a href="${href(item.path)}"${item.path === path ? new SafeHtml(' aria-current="page"') : ''}>${t(`console:admin.nav.${item.key}`)}</a></li>`,
  );
  return layout(
    page,
    title,
    path,
    html`<style>${new SafeHtml(STYLE)}</style>
<nav aria-label="${t('console:admin.nav.label')}"><ul>${links}</ul></nav>
${body}`,
  );
}

/** A message above the page's content, announced by screen readers as it appears. */
export function flash(message: { problem?: string; notice?: SafeHtml | string } | undefined): SafeHtml {
  if (!message) return html``;
  return html`${message.problem ? html`<p class="problem" role="alert">${message.problem}</p>` : ''}${message.notice ? html`<div class="notice" role="status">${message.notice}</div>` : ''}`;
}
