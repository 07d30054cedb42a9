import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Role } from '../../accounts/schemas.js';
import type { Locale } from '../../platform/config.js';
import type { Translator } from '../../platform/i18n.js';
import { consolePage, sendPage } from './console-http.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { CSRF_FIELD, sameToken } from './csrf.js';
import { inLanguage, LOGIN_PATH, messagePage } from './login-page.js';
import type { Sessions, SignedIn } from './sessions.js';

/** Enough for any console form without file uploads. */
const FORM_LIMIT = '64kb';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

export interface SessionGuardParts {
  sessions: Sessions;
  translator: Translator;
  defaultLocale: Locale;
}

/** What `requireSession` leaves for the page handlers. */
export interface SessionLocals {
  signedIn: SignedIn;
  sessionId: string;
}

export function sessionLocals(res: Response): SessionLocals {
  return res.locals as SessionLocals;
}

/**
 * How a request that changes something proves it comes from a console page: the session's token in the form field
 * (every page of ours), or, for a script application that cannot carry it (the queue dashboard), the browser's own
 * word that it comes from this origin. The session cookie is SameSite=Strict either way, so a request started by
 * another site arrives without a session.
 */
export type CsrfProof = 'form-token' | 'same-origin';

export type RequireSession = (roles: readonly Role[], proof?: CsrfProof) => RequestHandler[];

/**
 * The gate in front of every console page: no live session sends the browser to the login page, a role not in
 * `roles` gets a 403 page, and any request that changes something must carry the session's CSRF token in the form
 * field `csrf`. Forms are read as URL-encoded; a page taking file uploads must read its body before this check.
 */
export function sessionGuard({ sessions, translator, defaultLocale }: SessionGuardParts): RequireSession {
  const urlencoded = express.urlencoded({ extended: false, limit: FORM_LIMIT });
  return (roles, proof = 'form-token') => [
    urlencoded,
    async (req, res, next) => {
      const page = consolePage(req, translator, defaultLocale);
      const sessionId = readCookie(req, SESSION_COOKIE);
      const signedIn = sessionId === undefined ? undefined : await sessions.find(sessionId);
      if (!sessionId || !signedIn) return res.redirect(303, inLanguage(LOGIN_PATH, page.locale));
      if (!roles.includes(signedIn.role)) return sendPage(res, 403, messagePage(page, page.t('console:errors.forbidden')));
      if (!SAFE_METHODS.has(req.method) && !proven(req, signedIn, proof)) {
        return sendPage(res, 403, messagePage(page, page.t('console:errors.csrf')));
      }
      Object.assign(res.locals, { signedIn, sessionId } satisfies SessionLocals);
      next();
    },
  ];
}

/** Whether a request that changes something came from our own pages, as `proof` asks it to be shown. */
function proven(req: Request, signedIn: SignedIn, proof: CsrfProof): boolean {
  if (proof === 'same-origin') return (req.get('sec-fetch-site') ?? 'same-origin') === 'same-origin';
  return sameToken(signedIn.csrf, (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD]);
}
