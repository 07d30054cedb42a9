import type { Role } from '../../accounts/schemas.js';
import { AUDIT_PATH, QUEUES_PATH, USERS_PATH } from '../admin/admin-page.js';
import { CONSOLE_PATH } from '../auth/cookies.js';
import { TIPS_PATH } from '../police/police-view.js';
import { BROADCASTS_PATH, CALENDAR_PATH, CONTENT_PATH, GROUPS_PATH } from '../staff/staff-page.js';

export const REPORTS_PATH = `${CONSOLE_PATH}/reports`;

/** The console's areas by the i18n key of their name, each listed for the roles whose guard lets them in. */
const AREAS: ReadonlyArray<{ path: string; key: string; roles: readonly Role[] }> = [
  { path: BROADCASTS_PATH, key: 'console:staff.menu.broadcasts', roles: ['staff', 'approver', 'admin'] },
  { path: CALENDAR_PATH, key: 'console:staff.menu.calendar', roles: ['staff', 'approver', 'admin'] },
  { path: GROUPS_PATH, key: 'console:staff.menu.groups', roles: ['staff', 'approver', 'admin'] },
  { path: CONTENT_PATH, key: 'console:staff.menu.content', roles: ['staff', 'approver', 'admin'] },
  { path: TIPS_PATH, key: 'console:police.queue.title', roles: ['police'] },
  { path: REPORTS_PATH, key: 'console:dashboard.menu.reports', roles: ['staff', 'approver', 'admin', 'police'] },
  { path: USERS_PATH, key: 'console:admin.nav.users', roles: ['admin'] },
  { path: AUDIT_PATH, key: 'console:admin.nav.audit', roles: ['admin'] },
  { path: QUEUES_PATH, key: 'console:admin.nav.queues', roles: ['admin'] },
];

export function areasFor(role: Role): Array<{ path: string; key: string }> {
  return AREAS.filter((area) => area.roles.includes(role)).map(({ path, key }) => ({ path, key }));
}
