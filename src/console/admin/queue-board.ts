import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type Express, type RequestHandler } from 'express';
import type { Role } from '../../accounts/schemas.js';
import { consolePage, sendPage } from '../auth/console-http.js';
import { readCookie, SESSION_COOKIE } from '../auth/cookies.js';
import { inLanguage, LOGIN_PATH, messagePage } from '../auth/login-page.js';
import type { SessionGuardParts } from '../auth/require-session.js';
import { QUEUES_PATH } from './admin-page.js';

const BOARD_ROLES: readonly Role[] = ['admin'];

/**
 * Unlike the rest of the console, the dashboard is a script application: it needs its own scripts, styles, `data:`
 * images and fonts, calls to its API, and the `<base>` it sets. Its Google font is left out: nothing off-site.
 */
const BOARD_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join('; ');

/**
 * The console's session check without its form-token check, for the dashboard alone. Its fetches (pause, retry,
 * clean, …) cannot carry the hidden form field, and need not: the session cookie is SameSite=Strict, so a request
 * started by another site arrives without it and is sent to the login page. As a second wall, a browser that says a
 * change comes from anywhere but this origin (Sec-Fetch-Site) is refused.
 */
function boardGuard({ sessions, translator, defaultLocale }: SessionGuardParts): RequestHandler {
  return async (req, res, next) => {
    const page = consolePage(req, translator, defaultLocale);
    const sessionId = readCookie(req, SESSION_COOKIE);
    const signedIn = sessionId === undefined ? undefined : await sessions.find(sessionId);
    if (!signedIn) return res.redirect(303, inLanguage(LOGIN_PATH, page.locale));
    if (!BOARD_ROLES.includes(signedIn.role)) return sendPage(res, 403, messagePage(page, page.t('console:errors.forbidden')));
    const site = req.get('sec-fetch-site');
    const changes = req.method !== 'GET' && req.method !== 'HEAD';
    if (changes && site !== undefined && site !== 'same-origin') return sendPage(res, 403, messagePage(page, page.t('console:errors.csrf')));
    res.set('Content-Security-Policy', BOARD_CSP);
    next();
  };
}

/**
 * The BullMQ dashboard (bull-board) at /console/queues, for admins only: bull-board has no sign-in of its own, so
 * every request to it, pages and API alike, passes the console session first.
 */
export function queueBoard(queues: readonly Queue[], guard: SessionGuardParts): Router {
  const adapter = new ExpressAdapter().setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Loa Phường' } },
  });
  const board = adapter.getRouter() as Express;
  board.disable('x-powered-by');
  const router = Router();
  router.use(QUEUES_PATH, boardGuard(guard), board);
  return router;
}
