import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../../accounts/actor.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Locale } from '../../platform/config.js';
import { DomainError, HTTP_STATUS, type Problem } from '../../platform/domain-error.js';
import type { Translator } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import type { Tips } from '../../tips/tips.js';
import { consoleHeaders, consolePage, sendPage } from '../auth/console-http.js';
import { inLanguage, messagePage } from '../auth/login-page.js';
import { sessionLocals, type RequireSession } from '../auth/require-session.js';
import {
  noticeQuerySchema,
  photoParamsSchema,
  priorityFormSchema,
  queueQuerySchema,
  statusFormSchema,
  textFormSchema,
  tipFilterOf,
  tipParamsSchema,
  type Notice,
  type TipForm,
} from './police-forms.js';
import { TIPS_PATH, tipPath, type PolicePage, type ShownProblem } from './police-view.js';
import { queuePage, type QueueValues } from './queue-page.js';
import { tipPage, type Refusal } from './tip-page.js';

export interface PoliceConsoleParts {
  tips: Tips;
  audit: AuditLog;
  translator: Translator;
  defaultLocale: Locale;
  timeZone: string;
  logger: Logger;
  now?: () => Date;
}

/** A refused form or query, as a DomainError, so every refusal is worded and shown the same way. */
function refused(fields: z.ZodError, key: string): DomainError {
  const problems: Problem[] = [...new Set(fields.issues.map((issue) => String(issue.path[0] ?? 'form')))].map((field) => ({
    field,
    key: `console:police.problems.${field}`,
  }));
  return new DomainError('invalid', key, {}, problems);
}

/**
 * The police's pages: the tip queue and each tip, with triage, notes and the anonymous reply. Only the police role
 * gets past `requireSession`; `Tips` checks the role again and audits every read and change.
 */
export function policeConsole(parts: PoliceConsoleParts, requireSession: RequireSession): Router {
  const { tips, audit, translator, defaultLocale, timeZone, logger } = parts;
  const now = parts.now ?? (() => new Date());
  const router = Router();
  const guard = requireSession(['police']);

  const page = (req: Request): PolicePage => ({ ...consolePage(req, translator, defaultLocale), timeZone, now: now() });
  const actorOf = (res: Response): Actor => {
    const { username, role } = sessionLocals(res).signedIn;
    return { name: username, role };
  };
  const shown = (p: PolicePage, problems: readonly Problem[]): ShownProblem[] => problems.map((q) => ({ field: q.field, message: p.t(q.key, q.params ?? {}) }));
  const notFound = (res: Response, p: PolicePage, id: string) => sendPage(res, 404, messagePage(p, p.t('tips:errors.notFound', { id })));

  router.use(TIPS_PATH, consoleHeaders);

  router.get(TIPS_PATH, ...guard, async (req, res) => {
    const p = page(req);
    const values = Object.fromEntries(
      (['status', 'category', 'from', 'to', 'id'] as const).flatMap((field) => (typeof req.query[field] === 'string' ? [[field, req.query[field]]] : [])),
    ) as QueueValues;
    const query = queueQuerySchema.safeParse(req.query);
    if (!query.success) {
      const err = refused(query.error, 'console:police.errors.filter');
      return sendPage(res, 422, queuePage(p, { values, message: p.t(err.key), problems: shown(p, err.problems) }));
    }
    const listed = await tips.list(actorOf(res), tipFilterOf(query.data, timeZone));
    const chosen = query.data.id ? listed.filter((tip) => tip.id === query.data.id) : listed;
    sendPage(res, 200, queuePage(p, { values, tips: chosen }));
  });

  /** The tip page, after a change (with its notice) or with the change that was refused. */
  const showTip = async (req: Request, res: Response, id: string, status: number, shownWith: { notice?: Notice; refusal?: Refusal }) => {
    const p = page(req);
    try {
      const tip = await tips.read(id, actorOf(res));
      // Newest first, as the admin's audit log shows entries.
      const trail = (await audit.about(`tip:${id}`)).reverse();
      sendPage(res, status, tipPage(p, { tip, trail, csrf: sessionLocals(res).signedIn.csrf, ...shownWith }));
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not-found') return notFound(res, p, id);
      throw err;
    }
  };

  router.get(`${TIPS_PATH}/:id`, ...guard, async (req, res) => {
    const params = tipParamsSchema.safeParse(req.params);
    if (!params.success) return notFound(res, page(req), String(req.params.id));
    await showTip(req, res, params.data.id, 200, { notice: noticeQuerySchema.parse(req.query).done });
  });

  router.get(`${TIPS_PATH}/:id/photos/:n`, ...guard, async (req, res) => {
    const p = page(req);
    const params = photoParamsSchema.safeParse(req.params);
    if (!params.success) return notFound(res, p, String(req.params.id));
    try {
      const photo = await tips.photo(params.data.id, params.data.n, actorOf(res));
      // Evidence, decrypted: no browser or proxy may keep a copy.
      res.status(200).set('Cache-Control', 'no-store').type('image/jpeg').send(photo);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'not-found') throw err;
      sendPage(res, 404, messagePage(p, p.t(err.key, err.params)));
    }
  });

  /**
   * One form on the tip page: does the change and sends the browser back to the tip (303, so a reload does not post
   * again); a refused change is shown on the tip page, in the user's language, beside the form it came from.
   */
  const change = (form: TipForm, path: string, work: (id: string, body: unknown, actor: Actor) => Promise<Notice>) => {
    router.post(`${TIPS_PATH}/:id/${path}`, ...guard, async (req, res) => {
      const p = page(req);
      const params = tipParamsSchema.safeParse(req.params);
      if (!params.success) return notFound(res, p, String(req.params.id));
      const { id } = params.data;
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        const notice = await work(id, body, actorOf(res));
        res.redirect(303, `${inLanguage(tipPath(id), p.locale)}&done=${notice}`);
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === 'forbidden') throw err;
        const text = (field: string) => (typeof body[field] === 'string' ? (body[field] as string) : undefined);
        const refusal: Refusal = { form, message: p.t(err.key, err.params), problems: shown(p, err.problems), draft: text('text'), duplicateOf: text('duplicateOf') };
        await showTip(req, res, id, HTTP_STATUS[err.kind], { refusal });
      }
    });
  };

  const parsed = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const result = schema.safeParse(body);
    if (!result.success) throw refused(result.error, 'console:police.errors.invalid');
    return result.data;
  };

  change('claim', 'claim', async (id, _body, actor) => {
    await tips.claim(id, actor);
    return 'claimed';
  });
  change('status', 'status', async (id, body, actor) => {
    const { status, duplicateOf } = parsed(statusFormSchema, body);
    await tips.change(id, { status, ...(duplicateOf ? { duplicateOf } : {}) }, actor);
    return 'status';
  });
  change('priority', 'priority', async (id, body, actor) => {
    await tips.change(id, parsed(priorityFormSchema, body), actor);
    return 'priority';
  });
  change('note', 'notes', async (id, body, actor) => {
    await tips.note(id, parsed(textFormSchema, body).text, actor);
    return 'note';
  });
  change('reply', 'replies', async (id, body, actor) => {
    const { deliveredToChat } = await tips.reply(id, parsed(textFormSchema, body).text, actor);
    return deliveredToChat ? 'reply-chat' : 'reply';
  });

  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const p = page(req);
    if (err instanceof DomainError) return sendPage(res, HTTP_STATUS[err.kind], messagePage(p, p.t(err.key, err.params)));
    // Never the body: it holds what the police wrote about a tip.
    logger.error({ error: err instanceof Error ? err.name : typeof err, reason: err instanceof Error ? err.message : undefined, path: req.path }, 'police console request failed');
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 503;
    sendPage(res, status, messagePage(p, p.t('console:errors.unavailable')));
  };
  router.use(TIPS_PATH, onError);
  return router;
}
