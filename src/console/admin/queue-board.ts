import type { Queue } from 'bullmq';
import { Router, type Express, type RequestHandler } from 'express';
import type { Role } from '../../accounts/schemas.js';
import { contentSecurityPolicy } from '../../platform/http/security-headers.js';
import type { RequireSession } from '../auth/require-session.js';
import { QUEUES_PATH } from './admin-page.js';

const BOARD_ROLES: readonly Role[] = ['admin'];

/**
 * Unlike the rest of the console, the dashboard is a script application: it needs its own scripts, styles, `data:`
 * images and fonts, calls to its API, and the `<base>` it sets. Its Google font is left out: nothing off-site. Its
 * one inline `<script>` is a JSON data block, which no browser runs, so scripts need no 'unsafe-inline' nor a nonce.
 */
const boardCsp = contentSecurityPolicy({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'self'"],
});

/**
 * The BullMQ dashboard (bull-board) at /console/queues, for admins only: bull-board has no sign-in of its own, so
 * every request to it, pages and API alike, passes the console session first.
 */
export function queueBoard(queues: readonly Queue[], requireSession: RequireSession): Router {
  let board: Promise<Express> | undefined;
  // Built on the first visit, not at start-up: the dashboard's code and assets cost ~20 MB that few processes use.
  const lazyBoard: RequestHandler = async (req, res, next) => {
    board ??= boardApp(queues).catch((err: unknown) => {
      board = undefined;
      throw err;
    });
    (await board)(req, res, next);
  };
  const router = Router();
  // Its own fetches (pause, retry, clean, …) cannot carry the console's form token: same-origin proof instead.
  router.use(QUEUES_PATH, ...requireSession(BOARD_ROLES, 'same-origin'), boardCsp, lazyBoard);
  return router;
}

async function boardApp(queues: readonly Queue[]): Promise<Express> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const adapter = new ExpressAdapter().setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Loa Phường' } },
  });
  const board = adapter.getRouter() as Express;
  board.disable('x-powered-by');
  return board;
}
