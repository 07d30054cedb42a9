import { Router, type Request } from 'express';
import type { Queue } from 'bullmq';
import type { UserStore } from '../../accounts/user-store.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Logger } from '../../platform/logger.js';
import { consoleErrorHandler, consolePage } from '../auth/console-http.js';
import { CONSOLE_PATH } from '../auth/cookies.js';
import type { RequireSession, SessionGuardParts } from '../auth/require-session.js';
import { AUDIT_PATH, USERS_PATH } from './admin-page.js';
import { auditRoutes } from './audit-routes.js';
import { queueBoard } from './queue-board.js';
import { usersRoutes } from './users-routes.js';

export interface AdminConsoleParts extends Pick<SessionGuardParts, 'translator' | 'defaultLocale'> {
  users: UserStore;
  audit: AuditLog;
  /** Every BullMQ queue of the service, for the dashboard. */
  queues: readonly Queue[];
  timeZone: string;
  logger: Logger;
}

/** The admin's pages: accounts, the audit log and the queue dashboard, each for the admin role only. */
export function adminConsole(parts: AdminConsoleParts, requireSession: RequireSession): Router {
  const { users, audit, timeZone, translator, defaultLocale, logger } = parts;
  const page = (req: Request) => consolePage(req, translator, defaultLocale);
  const router = Router();
  router.use([USERS_PATH, AUDIT_PATH], ...requireSession(['admin']));
  router.use(usersRoutes({ users, timeZone, page }));
  router.use(auditRoutes({ audit, timeZone, page }));
  router.use(queueBoard(parts.queues, requireSession));

  router.use(CONSOLE_PATH, consoleErrorHandler(logger, page));
  return router;
}
