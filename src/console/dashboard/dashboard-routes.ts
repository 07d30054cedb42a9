import { Router, type Request } from 'express';
import { ROLES } from '../../accounts/schemas.js';
import type { Locale } from '../../platform/config.js';
import type { Translator } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { consoleErrorHandler, consolePage, sendPage } from '../auth/console-http.js';
import { CONSOLE_PATH } from '../auth/cookies.js';
import { sessionLocals, type RequireSession } from '../auth/require-session.js';
import type { DashboardFigures } from './dashboard-figures.js';
import { dashboardPage } from './dashboard-page.js';

export interface DashboardParts {
  figures: DashboardFigures;
  translator: Translator;
  defaultLocale: Locale;
  logger: Logger;
}

/** The console's home page, for every role, with what that role may see of the last weeks. */
export function dashboardConsole(parts: DashboardParts, requireSession: RequireSession): Router {
  const { figures, translator, defaultLocale, logger } = parts;
  const router = Router();
  const page = (req: Request) => consolePage(req, translator, defaultLocale);
  router.get(CONSOLE_PATH, ...requireSession(ROLES), async (req, res) => {
    const { signedIn } = sessionLocals(res);
    sendPage(res, 200, dashboardPage(page(req), { user: signedIn, ...(await figures.forRole(signedIn.role)) }));
  });
  router.use(CONSOLE_PATH, consoleErrorHandler(logger, page));
  return router;
}
