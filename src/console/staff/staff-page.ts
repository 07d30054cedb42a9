import type { ErrorRequestHandler, Request } from 'express';
import type { Role } from '../../accounts/schemas.js';
import { DomainError, HTTP_STATUS } from '../../platform/domain-error.js';
import { html, SafeHtml } from '../../platform/http/html.js';
import type { Logger } from '../../platform/logger.js';
import { wallClock } from '../../platform/time-zone.js';
import { sendPage } from '../auth/console-http.js';
import { CONSOLE_PATH } from '../auth/cookies.js';
import { csrfField } from '../auth/csrf.js';
import { inLanguage, layout, type ConsolePage } from '../auth/login-page.js';

export const GROUPS_PATH = `${CONSOLE_PATH}/groups`;
export const BROADCASTS_PATH = `${CONSOLE_PATH}/broadcasts`;
export const CONTENT_PATH = `${CONSOLE_PATH}/content`;
export const CALENDAR_PATH = `${CONSOLE_PATH}/calendar`;
/** Who reads and changes groups and broadcasts; `Broadcasts.approve` narrows approval down further. */
export const STAFF_ROLES: readonly Role[] = ['staff', 'approver', 'admin'];

/** The sign-in layout is built for one narrow form; these pages also hold lists, fieldsets and rows of buttons. */
const STAFF_STYLE = new SafeHtml(`<style>
body{max-width:48rem}
nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0;margin:.5rem 0}
fieldset{border:1px solid #8a929c;border-radius:.4rem;display:grid;gap:.5rem}
legend{font-weight:600}
input[type=radio],input[type=checkbox]{width:auto;margin-right:.4rem}
select,textarea{font:inherit;padding:.6rem;border:1px solid #8a929c;border-radius:.4rem;width:100%;box-sizing:border-box}
.choice{font-weight:400}
.card{background:#fff;border:1px solid #d0d4da;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
.card h2,.card h3{font-size:1.1rem;margin:.25rem 0}
.plain{list-style:none;padding:0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}
.actions form{margin:0;display:block}
.actions button{width:auto}
.field-problem{color:#a30000;font-weight:600;margin:0}
.message{white-space:pre-wrap;background:#f0f2f5;border-radius:.4rem;padding:.5rem;margin:.25rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}dt{font-weight:600}dd{margin:0}
</style>`);

/** A staff page: the console layout with the staff menu above the page's own content. */
export function staffLayout(page: ConsolePage, title: string, path: string, body: SafeHtml): string {
  const { t, locale } = page;
  return layout(
    page,
    title,
    path,
    html`${STAFF_STYLE}<nav aria-label="${t('console:staff.menu.label')}"><ul>
<li><a href="${inLanguage(CONSOLE_PATH, locale)}">${t('console:staff.menu.home')}</a></li>
<li><a href="${inLanguage(GROUPS_PATH, locale)}"${path === GROUPS_PATH ? html` aria-current="page"` : ''}>${t('console:staff.menu.groups')}</a></li>
<li><a href="${inLanguage(BROADCASTS_PATH, locale)}"${path === BROADCASTS_PATH ? html` aria-current="page"` : ''}>${t('console:staff.menu.broadcasts')}</a></li>
<li><a href="${inLanguage(CONTENT_PATH, locale)}"${path === CONTENT_PATH ? html` aria-current="page"` : ''}>${t('console:staff.menu.content')}</a></li>
<li><a href="${inLanguage(CALENDAR_PATH, locale)}"${path === CALENDAR_PATH ? html` aria-current="page"` : ''}>${t('console:staff.menu.calendar')}</a></li>
</ul></nav>
${body}`,
  );
}

/** The outcome of the last action, or why it was refused, read out as it appears. */
export function banner(message: { problem?: string | undefined; notice?: string | undefined }): SafeHtml {
  return html`${message.problem ? html`<p class="problem" role="alert">${message.problem}</p>` : ''}${message.notice ? html`<p class="notice" role="status">${message.notice}</p>` : ''}`;
}

/** A one-button form that changes something; the path keeps the page's language. */
export function actionButton(page: ConsolePage, csrf: string, action: string, label: string): SafeHtml {
  return html`<form method="post" action="${inLanguage(action, page.locale)}">${csrfField(csrf)}<button type="submit">${label}</button></form>`;
}

/** An instant as people in the ward read it: "2026-06-26 07:00" on the ward's clock. */
export function wardTime(iso: string, timeZone: string): string {
  const { date, time } = wallClock(new Date(iso), timeZone);
  return `${date} ${time}`;
}

/** A path back to a page in the same language, with the outcome of what was just done. */
export function withNotice(path: string, page: ConsolePage, notice: string, params: Record<string, string> = {}): string {
  return `${inLanguage(path, page.locale)}&${new URLSearchParams({ notice, ...params }).toString()}`;
}

export interface StaffErrorParts {
  logger: Logger;
  page: (req: Request) => ConsolePage;
  /** Errors that mean "nothing there" (a path that does not parse, an unknown id): a 404, not a failure. */
  notFound: (err: unknown) => boolean;
  /** The list page to go back to from the failed request's path. */
  backTo: (path: string) => string;
}

/**
 * The last word on a staff page that failed: a refusal in the user's language with its status (422, 403, 404, …)
 * and a way back, and for anything unexpected a 503 and a log line that names the failure but never the form.
 */
export function staffErrorHandler({ logger, page, notFound, backTo }: StaffErrorParts): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const p = page(req);
    const known = err instanceof DomainError || notFound(err);
    const status = err instanceof DomainError ? HTTP_STATUS[err.kind] : known ? 404 : 503;
    const message = err instanceof DomainError ? p.t(err.key, err.params) : known ? p.t('console:staff.errors.notFound') : p.t('console:errors.unavailable');
    if (!known) logger.error({ error: err instanceof Error ? err.name : typeof err, reason: err instanceof Error ? err.message : undefined, path: req.path }, 'staff console request failed');
    const back = backTo(req.path);
    sendPage(
      res,
      status,
      staffLayout(p, p.t('console:errors.title'), back, html`<h1>${p.t('console:errors.title')}</h1>${banner({ problem: message })}<p><a href="${inLanguage(back, p.locale)}">${p.t('console:staff.errors.back')}</a></p>`),
    );
  };
}
