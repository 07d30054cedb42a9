import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AuditEntry, AuditLog } from '../../audit/audit-log.js';
import { sendPage } from '../auth/console-http.js';
import type { ConsolePage } from '../auth/login-page.js';
import { AUDIT_PATH } from './admin-page.js';
import { auditPage, type AuditFilter } from './audit-page.js';

/** The stream is read newest first and filtered here, so a search looks only this far back. */
export const AUDIT_SEARCHED = 2000;
export const AUDIT_SHOWN = 200;

const filterText = z.string().max(200).catch('').transform((s) => s.trim());
const filterSchema = z.object({ actor: filterText, action: filterText, subject: filterText });

export interface AuditRouteParts {
  audit: AuditLog;
  timeZone: string;
  page: (req: Request) => ConsolePage;
}

/** Actor and subject match anywhere, ignoring case; the action matches from its start, e.g. "tip." or "user.". */
function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  const has = (value: string, part: string) => value.toLowerCase().includes(part.toLowerCase());
  return has(entry.actor, filter.actor) && entry.action.startsWith(filter.action.toLowerCase()) && has(entry.subject, filter.subject);
}

export function auditRoutes({ audit, timeZone, page }: AuditRouteParts): Router {
  const router = Router();
  router.get(AUDIT_PATH, async (req, res) => {
    const filter = filterSchema.parse(req.query);
    const entries = (await audit.latest(AUDIT_SEARCHED)).filter((entry) => matches(entry, filter)).slice(0, AUDIT_SHOWN);
    sendPage(res, 200, auditPage(page(req), { entries, filter, searched: AUDIT_SEARCHED, shownAtMost: AUDIT_SHOWN, timeZone }));
  });
  return router;
}
