import type { Locale } from '../../platform/config.js';
import { html, SafeHtml } from '../../platform/http/html.js';
import type { TFunction } from '../../platform/i18n.js';
import { CONSOLE_PATH } from './cookies.js';
import { csrfField } from './csrf.js';

export const LOGIN_PATH = `${CONSOLE_PATH}/login`;
export const CODE_PATH = `${CONSOLE_PATH}/login/code`;
export const LOGOUT_PATH = `${CONSOLE_PATH}/logout`;

export interface ConsolePage {
  t: TFunction;
  locale: Locale;
}

const STYLE = `
body{font-family:system-ui,sans-serif;font-size:1.05rem;line-height:1.5;max-width:32rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#f6f7f9}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}
h1{font-size:1.4rem;margin:.5rem 0}a{color:#0b57d0}
form{display:grid;gap:.75rem;margin:1rem 0}label{font-weight:600}
input,button{font:inherit;padding:.6rem;border:1px solid #8a929c;border-radius:.4rem;width:100%;box-sizing:border-box}
input:focus,button:focus,a:focus{outline:3px solid #f0b400;outline-offset:2px}
button{background:#0b57d0;color:#fff;border:0;font-weight:600;padding:.8rem 1rem;cursor:pointer}
.hint{color:#4a4f55;font-size:.92rem;margin:0}
.problem{color:#a30000;font-weight:600;border:2px solid #a30000;border-radius:.5rem;padding:.5rem 1rem;background:#fff}
.notice{background:#e8f1ec;border-radius:.5rem;padding:.5rem 1rem}
`;

/** A console path in the page's language, so the language the user chose follows them from page to page. */
export function inLanguage(path: string, locale: Locale): string {
  return `${path}?lang=${locale}`;
}

export function layout(page: ConsolePage, title: string, path: string, body: SafeHtml): string {
  const other: Locale = page.locale === 'vi' ? 'en' : 'vi';
  return html`<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — ${page.t('console:site')}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header><strong>${page.t('console:site')}</strong><a href="${inLanguage(path, other)}" hreflang="${other}" lang="${other}">${page.t('console:otherLanguage')}</a></header>
<main>
${body}
</main>
</body>
</html>`.value;
}

/** A message the user must read before the form, announced by screen readers as it appears. */
function shown(problem: string | undefined, notice: string | undefined): SafeHtml {
  return html`${problem ? html`<p class="problem" role="alert">${problem}</p>` : ''}${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}`;
}

export function loginPage(page: ConsolePage, form: { csrf: string; username?: string; problem?: string; notice?: string }): string {
  const { t } = page;
  return layout(
    page,
    t('console:login.title'),
    LOGIN_PATH,
    html`<h1>${t('console:login.title')}</h1>
${shown(form.problem, form.notice)}
<form method="post" action="${inLanguage(LOGIN_PATH, page.locale)}">
${csrfField(form.csrf)}
<label for="username">${t('console:login.username')}</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${form.username ?? ''}">
<label for="password">${t('console:login.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${t('console:login.submit')}</button>
</form>`,
  );
}

export function codePage(page: ConsolePage, form: { csrf: string; problem?: string }): string {
  const { t } = page;
  return layout(
    page,
    t('console:code.title'),
    LOGIN_PATH,
    html`<h1>${t('console:code.title')}</h1>
${shown(form.problem, undefined)}
<form method="post" action="${inLanguage(CODE_PATH, page.locale)}">
${csrfField(form.csrf)}
<label for="code">${t('console:code.label')}</label>
<p class="hint" id="code-hint">${t('console:code.hint')}</p>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required aria-describedby="code-hint">
<button type="submit">${t('console:code.submit')}</button>
</form>`,
  );
}

/** A refusal or failure, with the way back to the sign-in page. */
export function messagePage(page: ConsolePage, message: string): string {
  const { t } = page;
  return layout(
    page,
    t('console:errors.title'),
    LOGIN_PATH,
    html`<h1>${t('console:errors.title')}</h1>
<p class="problem" role="alert">${message}</p>
<p><a href="${inLanguage(LOGIN_PATH, page.locale)}">${t('console:errors.back')}</a></p>`,
  );
}
