import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../../accounts/actor.js';
import type { Broadcasts } from '../../broadcasts/broadcasts.js';
import { scheduleIdSchema, scheduleStatusSchema } from '../../broadcasts/schemas.js';
import type { Platform } from '../../channels/channel.js';
import { GroupNotFoundError, type GroupRegistry } from '../../groups/group-registry.js';
import { tagSchema } from '../../groups/schemas.js';
import type { Locale } from '../../platform/config.js';
import { DomainError, HTTP_STATUS } from '../../platform/domain-error.js';
import type { Translator } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { consoleHeaders, consolePage, sendPage } from '../auth/console-http.js';
import type { ConsolePage } from '../auth/login-page.js';
import { sessionLocals, type RequireSession } from '../auth/require-session.js';
import { broadcastDetailPage, occurrencePage, occurrencePath, schedulePath } from './broadcast-detail-page.js';
import { broadcastFormSchema, EMPTY_FORM, formFieldOf, scheduleInput, type BroadcastForm, type FormField } from './broadcast-form.js';
import { broadcastListPage } from './broadcast-list-page.js';
import { groupsPage } from './group-pages.js';
import { BROADCASTS_PATH, GROUPS_PATH, STAFF_ROLES, staffErrorHandler, withNotice } from './staff-page.js';

export interface StaffConsoleParts {
  broadcasts: Broadcasts;
  groups: GroupRegistry;
  translator: Translator;
  defaultLocale: Locale;
  timeZone: string;
  platforms: readonly Platform[];
  logger: Logger;
}

const NOTICES = ['created', 'approve', 'pause', 'resume', 'cancel', 'retried', 'groupApproved', 'groupPaused', 'groupResumed', 'groupTagged'] as const;
const noticeQuery = z.object({
  notice: z.enum(NOTICES).optional().catch(undefined),
  count: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
});
const listQuery = z.object({ status: scheduleStatusSchema.optional().catch(undefined) });
const groupParams = z.object({ id: z.string().regex(/^g-[a-z0-9]{1,40}$/) });
const scheduleParams = z.object({ id: scheduleIdSchema });
const occurrenceParams = z.object({ occurrenceId: z.string().min(1).max(240) });
const tagsForm = z.object({ tags: z.string().max(2000).catch('') });

const GROUP_ACTIONS = { approve: 'groupApproved', pause: 'groupPaused', resume: 'groupResumed' } as const;
const SCHEDULE_ACTIONS = ['approve', 'pause', 'resume', 'cancel'] as const;

/** A path parameter that does not parse names nothing there. */
class PageNotFound extends Error {}

function parsed<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new PageNotFound();
  return result.data;
}

/**
 * The ward staff's console pages: registered groups, and broadcasts from the first draft to each group's delivery.
 * Every change goes through `GroupRegistry` or `Broadcasts`, which check and audit it under the signed-in user.
 */
export function staffConsole(parts: StaffConsoleParts, requireSession: RequireSession): Router {
  const { broadcasts, groups, translator, defaultLocale, timeZone, platforms, logger } = parts;
  const router = Router();
  const guard = requireSession(STAFF_ROLES);
  const page = (req: Request) => consolePage(req, translator, defaultLocale);
  const actorOf = (res: Response): Actor => {
    const { signedIn } = sessionLocals(res);
    return { name: signedIn.username, role: signedIn.role };
  };
  const noticeOf = (req: Request, p: ConsolePage): string | undefined => {
    const { notice, count } = noticeQuery.parse(req.query);
    return notice && p.t(`console:staff.notices.${notice}`, { count: count ?? 0 });
  };

  router.use([GROUPS_PATH, BROADCASTS_PATH], consoleHeaders);

  const showGroups = async (req: Request, res: Response, status = 200, refused?: { groupId: string; text: string; problem: string }) => {
    const p = page(req);
    sendPage(res, status, groupsPage(p, { groups: await groups.list(), csrf: sessionLocals(res).signedIn.csrf, timeZone, notice: noticeOf(req, p), tagsTyped: refused }));
  };

  router.get(GROUPS_PATH, ...guard, (req, res) => showGroups(req, res));

  for (const [action, notice] of Object.entries(GROUP_ACTIONS) as [keyof typeof GROUP_ACTIONS, string][]) {
    router.post(`${GROUPS_PATH}/:id/${action}`, ...guard, async (req, res) => {
      const { id } = parsed(groupParams, req.params);
      await groups[action](id, actorOf(res).name);
      res.redirect(303, withNotice(GROUPS_PATH, page(req), notice));
    });
  }

  router.post(`${GROUPS_PATH}/:id/tags`, ...guard, async (req, res) => {
    const { id } = parsed(groupParams, req.params);
    const { tags: text } = tagsForm.parse(req.body ?? {});
    const tags = text.split(/[\s,]+/).filter((tag) => tag !== '');
    const bad = tags.filter((tag) => !tagSchema.safeParse(tag).success);
    if (bad.length > 0) {
      const p = page(req);
      return showGroups(req, res, 422, { groupId: id, text, problem: p.t('console:staff.groups.badTags', { tags: bad.join(', ') }) });
    }
    await groups.setTags(id, tags, actorOf(res).name);
    res.redirect(303, withNotice(GROUPS_PATH, page(req), 'groupTagged'));
  });

  const showList = async (req: Request, res: Response, status = 200, form: BroadcastForm = EMPTY_FORM, problems = new Map<FormField | 'form', string[]>()) => {
    const p = page(req);
    const filter = listQuery.parse(req.query).status;
    const schedules = await broadcasts.list(actorOf(res), filter);
    const newestFirst = [...schedules].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const view = { schedules: newestFirst, status: filter, form, problems, platforms, csrf: sessionLocals(res).signedIn.csrf, timeZone, notice: noticeOf(req, p) };
    sendPage(res, status, broadcastListPage(p, view));
  };

  router.get(BROADCASTS_PATH, ...guard, (req, res) => showList(req, res));

  router.post(BROADCASTS_PATH, ...guard, async (req, res) => {
    const form = broadcastFormSchema.parse(req.body ?? {});
    try {
      const schedule = await broadcasts.create(scheduleInput(form), actorOf(res));
      // Only a caller-chosen id can already be taken, and this one is random: a collision is simply tried again.
      if (!schedule) throw new DomainError('conflict', 'api:errors.tryAgain');
      res.redirect(303, withNotice(schedulePath(schedule.id), page(req), 'created'));
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
      const { t } = page(req);
      const problems = new Map<FormField | 'form', string[]>();
      for (const problem of err.problems) {
        const field = formFieldOf(problem) ?? 'form';
        problems.set(field, [...(problems.get(field) ?? []), t(problem.key, problem.params)]);
      }
      if (problems.size === 0) problems.set('form', [t(err.key, err.params)]);
      await showList(req, res, HTTP_STATUS.invalid, form, problems);
    }
  });

  router.get(`${BROADCASTS_PATH}/occurrences/:occurrenceId`, ...guard, async (req, res) => {
    const { occurrenceId } = parsed(occurrenceParams, req.params);
    const actor = actorOf(res);
    const occurrence = await broadcasts.occurrence(occurrenceId, actor);
    const rows = await broadcasts.deliveries(occurrenceId, actor);
    const schedule = await broadcasts.get(occurrence.scheduleId, actor);
    const named = new Map((await groups.list()).map((g) => [g.id, g]));
    const p = page(req);
    sendPage(res, 200, occurrencePage(p, { occurrence, schedule, rows, groups: named, csrf: sessionLocals(res).signedIn.csrf, timeZone, notice: noticeOf(req, p) }));
  });

  router.post(`${BROADCASTS_PATH}/occurrences/:occurrenceId/retry`, ...guard, async (req, res) => {
    const { occurrenceId } = parsed(occurrenceParams, req.params);
    const count = await broadcasts.retry(occurrenceId, actorOf(res));
    res.redirect(303, withNotice(occurrencePath(occurrenceId), page(req), 'retried', { count: String(count) }));
  });

  const showSchedule = async (req: Request, res: Response, id: string, status = 200, problem?: string) => {
    const actor = actorOf(res);
    const { schedule, next, occurrences } = await broadcasts.status(id, actor);
    const previews = await broadcasts.preview(id, actor);
    const { signedIn } = sessionLocals(res);
    const p = page(req);
    const viewer = { username: signedIn.username, role: signedIn.role, csrf: signedIn.csrf };
    sendPage(res, status, broadcastDetailPage(p, { schedule, next, occurrences, previews, viewer, timeZone, notice: problem ? undefined : noticeOf(req, p), problem }));
  };

  router.get(`${BROADCASTS_PATH}/:id`, ...guard, (req, res) => showSchedule(req, res, parsed(scheduleParams, req.params).id));

  for (const action of SCHEDULE_ACTIONS) {
    router.post(`${BROADCASTS_PATH}/:id/${action}`, ...guard, async (req, res) => {
      const { id } = parsed(scheduleParams, req.params);
      try {
        await broadcasts[action](id, actorOf(res));
      } catch (err) {
        // A refusal is shown on the broadcast's own page, so the reason sits beside the buttons that are left.
        if (!(err instanceof DomainError) || err.kind === 'not-found') throw err;
        return showSchedule(req, res, id, HTTP_STATUS[err.kind], page(req).t(err.key, err.params));
      }
      res.redirect(303, withNotice(schedulePath(id), page(req), action));
    });
  }

  const onError = staffErrorHandler({
    logger,
    page,
    notFound: (err) => err instanceof PageNotFound || err instanceof GroupNotFoundError,
    backTo: (path) => (path.startsWith(GROUPS_PATH) ? GROUPS_PATH : BROADCASTS_PATH),
  });
  router.use([GROUPS_PATH, BROADCASTS_PATH], onError);
  return router;
}
