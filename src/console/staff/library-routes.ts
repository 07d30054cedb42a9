import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Broadcasts } from '../../broadcasts/broadcasts.js';
import { renderText, type PlaceholderValues } from '../../content/render.js';
import { kebabIdSchema, type ContentLibrary } from '../../content/schemas.js';
import type { Locale } from '../../platform/config.js';
import { HTTP_STATUS } from '../../platform/domain-error.js';
import type { Translator } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { wallClock } from '../../platform/time-zone.js';
import { consoleHeaders, consolePage, sendPage } from '../auth/console-http.js';
import type { ConsolePage } from '../auth/login-page.js';
import { sessionLocals, type RequireSession } from '../auth/require-session.js';
import { calendarDays } from './calendar-days.js';
import { calendarPage } from './calendar-page.js';
import { messageDetailPage, qaDetailPage, type RenderedTexts } from './content-item-pages.js';
import { contentFilterSchema, contentListPage, qaListPage } from './content-list-page.js';
import { QA_PATH } from './library-paths.js';
import { monthAt, monthSchema } from './month-grid.js';
import { CALENDAR_PATH, CONTENT_PATH, STAFF_ROLES, staffErrorHandler } from './staff-page.js';

export interface StaffLibraryParts {
  library: ContentLibrary;
  /** Lists the broadcasts for the calendar, and renders library messages exactly as a broadcast sends them. */
  broadcasts: Broadcasts;
  /** The ward's values for placeholders in the answers, as the question handler fills them in. */
  placeholders: (locale: Locale) => PlaceholderValues;
  translator: Translator;
  defaultLocale: Locale;
  timeZone: string;
  logger: Logger;
}

const messageParams = z.object({ campaign: kebabIdSchema, id: kebabIdSchema });
const qaParams = z.object({ id: kebabIdSchema });
const calendarQuery = z.object({ month: z.unknown().optional() });

/** A path that names nothing in the library. */
class NotInLibrary extends Error {}

function found<T>(value: T | undefined): T {
  if (value === undefined) throw new NotInLibrary();
  return value;
}

/**
 * The staff's read-only view of the content library (with each text previewed as Zalo and Telegram will show it)
 * and of the month: the broadcasts that fire, the campaign calendar's planned messages and the plan's key days.
 */
export function staffLibraryConsole(parts: StaffLibraryParts, requireSession: RequireSession): Router {
  const { library, broadcasts, placeholders, translator, defaultLocale, timeZone, logger } = parts;
  const { content } = broadcasts.deps;
  const router = Router();
  const guard = requireSession(STAFF_ROLES);
  const page = (req: Request): ConsolePage => consolePage(req, translator, defaultLocale);
  const rendered = (render: (locale: Locale) => string | undefined): RenderedTexts => ({ vi: found(render('vi')), en: found(render('en')) });

  router.use([CONTENT_PATH, CALENDAR_PATH], consoleHeaders);

  router.get(CONTENT_PATH, ...guard, (req, res) => {
    sendPage(res, 200, contentListPage(page(req), library, contentFilterSchema.parse(req.query)));
  });

  router.get(QA_PATH, ...guard, (req, res) => {
    sendPage(res, 200, qaListPage(page(req), library.qa));
  });

  router.get(`${QA_PATH}/:id`, ...guard, (req, res) => {
    const { id } = found(qaParams.safeParse(req.params).data);
    const entry = found(library.qa.find((e) => e.id === id));
    sendPage(res, 200, qaDetailPage(page(req), entry, rendered((locale) => renderText(entry.answer[locale], placeholders(locale)))));
  });

  router.get(`${CONTENT_PATH}/:campaign/:id`, ...guard, (req, res) => {
    const { campaign, id } = found(messageParams.safeParse(req.params).data);
    const campaignContent = found(content.campaign(campaign));
    const message = found(content.message(campaign, id));
    const texts = rendered((locale) => content.render({ kind: 'message', campaign, message: id }, id, locale));
    sendPage(res, 200, messageDetailPage(page(req), campaignContent, message, texts));
  });

  router.get(CALENDAR_PATH, ...guard, async (req: Request, res: Response) => {
    const p = page(req);
    const asked = calendarQuery.parse(req.query).month;
    const now = broadcasts.deps.now();
    const valid = monthSchema.safeParse(asked);
    // A month that cannot be read shows this month, with a word on why, rather than an empty error page.
    const month = valid.success ? valid.data : monthAt(now, timeZone);
    const { signedIn } = sessionLocals(res);
    const all = await broadcasts.list({ name: signedIn.username, role: signedIn.role });
    // A cancelled broadcast never fires; showing it would plan a day around nothing.
    const schedules = all.filter((s) => s.status !== 'cancelled');
    const days = calendarDays({ month, library, schedules, timeZone });
    const problem = asked === undefined || valid.success ? undefined : p.t('console:calendar.badMonth');
    const view = { month, today: wallClock(now, timeZone).date, days, campaigns: library.campaigns.map((c) => c.campaign), problem };
    sendPage(res, problem ? HTTP_STATUS.invalid : 200, calendarPage(p, view));
  });

  // Anything else under these paths is a page that does not exist, said in the user's language like an unknown id.
  router.get([`${CONTENT_PATH}/*rest`, `${CALENDAR_PATH}/*rest`], ...guard, () => {
    throw new NotInLibrary();
  });

  const onError = staffErrorHandler({
    logger,
    page,
    notFound: (err) => err instanceof NotInLibrary,
    backTo: (path) => (path.startsWith(CALENDAR_PATH) ? CALENDAR_PATH : CONTENT_PATH),
  });
  router.use([CONTENT_PATH, CALENDAR_PATH], onError);
  return router;
}
