import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import { localeSchema, type Locale } from '../../platform/config.js';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { DomainError, HTTP_STATUS, type Problem } from '../../platform/domain-error.js';
import type { Translator } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { MAX_PHOTO_BYTES, sanitisePhoto } from '../photos.js';
import { canonicalReceiptCode } from '../receipt-code.js';
import { TIP_LIMITS, type Requester } from '../schemas.js';
import { tipProblems, type Tips } from '../tips.js';
import { clientKey } from './client-key.js';
import { FormReadError, readMultipart } from './multipart.js';
import { ANSWER_PATH, formPage, lookupPage, LOOKUP_PATH, messagePage, receiptPage, statusPage, TIP_FORM_PATH, type FormValues, type PageContext } from './tip-form-pages.js';

/** Three photos at their largest, and the text. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;
/** Longer than any field may be even in three-byte characters, so a value cut here still fails validation. */
const FIELD_BYTES = 32 * 1024;
const URLENCODED_LIMIT = '64kb';

/** A shared phone's history and cache must not keep a tip; the rest comes from the app-wide security headers. */
const PAGE_HEADERS = { 'Cache-Control': 'no-store' };

const langQuerySchema = z.object({ lang: localeSchema.optional().catch(undefined) });
const tipFieldsSchema = z.object({
  category: z.string().default(''),
  where: z.string().default(''),
  when: z.string().default(''),
  what: z.string().default(''),
});
const codeFormSchema = z.object({ code: z.string().max(100).default('') });
const answerFormSchema = codeFormSchema.extend({ text: z.string().default('') });

export interface TipFormParts {
  tips: Tips;
  box: SealedBox;
  translator: Translator;
  defaultLocale: Locale;
  timeZone: string;
  logger: Logger;
  now?: () => Date;
}

/**
 * The anonymous tip form for people without Zalo or Telegram, and the page where a tipster reads answers with the
 * receipt code. Works without JavaScript. The code only ever travels in POST bodies, never in a URL; the network
 * address is only hashed, per request, into a daily key for the rate limits.
 */
export function tipFormRoutes(parts: TipFormParts): Router {
  const { tips, box, translator, defaultLocale, timeZone, logger } = parts;
  const now = parts.now ?? (() => new Date());
  const router = Router();
  const urlencoded = express.urlencoded({ extended: false, limit: URLENCODED_LIMIT });

  const context = (req: Request): PageContext => {
    const locale = langQuerySchema.safeParse(req.query).data?.lang ?? defaultLocale;
    return { t: translator.t(locale), locale, timeZone };
  };
  // `req.ip` follows the app's proxy setting: the socket's peer, unless a trusted proxy is configured.
  const address = (req: Request) => clientKey(box, req.ip ?? '', now());
  const requester = (req: Request): Requester => ({ kind: 'web', address: address(req) });
  const send = (res: Response, status: number, page: string) => res.status(status).type('html').send(page);

  router.use(TIP_FORM_PATH, (_req, res, next) => {
    res.set(PAGE_HEADERS);
    next();
  });

  router.get(TIP_FORM_PATH, (req, res) => send(res, 200, formPage(context(req))));

  router.post(TIP_FORM_PATH, async (req, res) => {
    const ctx = context(req);
    const { t } = ctx;
    const form = await readMultipart(req, {
      totalBytes: MAX_BODY_BYTES,
      // One byte over the limit is enough for the photo check to refuse it by size, without keeping the rest.
      fileBytes: MAX_PHOTO_BYTES + 1,
      // One file more than allowed, to tell "too many" from "just enough".
      files: TIP_LIMITS.photos + 1,
      fieldBytes: FIELD_BYTES,
      // The form has four; anything past a few more is not from it.
      fields: 10,
    });
    const values: FormValues = tipFieldsSchema.parse(form.fields);
    const problems = tipProblems(values);
    const photos: Buffer[] = [];
    if (form.files.length > TIP_LIMITS.photos) {
      problems.push({ field: 'photos', key: 'tips:problems.photos', params: { max: TIP_LIMITS.photos } });
    } else {
      for (const file of form.files) {
        try {
          photos.push(await sanitisePhoto(file));
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          problems.push(...err.problems.filter((p) => !problems.some((q) => q.key === p.key)));
        }
      }
    }
    const again = (status: number, found: readonly Problem[]) =>
      send(res, status, formPage(ctx, { values, problems: found.map((p) => ({ field: p.field, message: t(p.key, p.params ?? {}) })), photosDropped: form.files.length > 0 }));
    if (problems.length > 0) return again(422, problems);

    try {
      const { code } = await tips.submit(values, { kind: 'web', address: address(req), locale: ctx.locale }, photos);
      return send(res, 200, receiptPage(ctx, code));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.kind === 'invalid') return again(422, err.problems);
      return send(res, HTTP_STATUS[err.kind], messagePage(ctx, t(err.key, err.params), 'form'));
    }
  });

  router.get(LOOKUP_PATH, (req, res) => send(res, 200, lookupPage(context(req))));

  /** A refused code: the same page whether it was mistyped, unknown or purged, and never the code itself. */
  const refusedCode = (res: Response, ctx: PageContext, err: unknown) => {
    if (!(err instanceof DomainError) || (err.kind !== 'not-found' && err.kind !== 'rate-limited')) throw err;
    return send(res, HTTP_STATUS[err.kind], lookupPage(ctx, ctx.t(err.key, err.params)));
  };

  router.post(LOOKUP_PATH, urlencoded, async (req, res) => {
    const ctx = context(req);
    const { code } = codeFormSchema.catch({ code: '' }).parse(req.body ?? {});
    if (code.trim() === '') return send(res, 422, lookupPage(ctx, ctx.t('tipform:lookup.missing')));
    try {
      const view = await tips.view(code, requester(req));
      return send(res, 200, statusPage(ctx, { code: canonicalReceiptCode(code)!, view }));
    } catch (err) {
      return refusedCode(res, ctx, err);
    }
  });

  router.post(ANSWER_PATH, urlencoded, async (req, res) => {
    const ctx = context(req);
    const { t } = ctx;
    const { code, text } = answerFormSchema.catch({ code: '', text: '' }).parse(req.body ?? {});
    if (code.trim() === '') return send(res, 422, lookupPage(ctx, t('tipform:lookup.missing')));
    const asker = requester(req);
    try {
      const view = await tips.addFromTipster(code, text, asker);
      return send(res, 200, statusPage(ctx, { code: canonicalReceiptCode(code)!, view, notice: t('tipform:status.sent') }));
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'invalid') return refusedCode(res, ctx, err);
      const view = await tips.view(code, asker);
      const problems = err.problems.map((p) => ({ field: p.field, message: t(p.key, p.params ?? {}) }));
      return send(res, 422, statusPage(ctx, { code: canonicalReceiptCode(code)!, view, problems, draft: text }));
    }
  });

  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const ctx = context(req);
    // Mounted under the form's path, so the path here is relative to it.
    const path = req.baseUrl + req.path;
    const back = path.startsWith(LOOKUP_PATH) ? 'lookup' : 'form';
    if (err instanceof FormReadError || isBodyParserRefusal(err)) {
      const tooLarge = err instanceof FormReadError ? err.reason === 'too-large' : (err as { type: string }).type === 'entity.too.large';
      // The rest of an oversized body is not worth keeping the connection open for.
      if (tooLarge) res.set('Connection', 'close');
      const message = !tooLarge
        ? ctx.t('tipform:errors.unreadable')
        : back === 'form'
          ? ctx.t('tipform:errors.tooLarge', { mb: MAX_BODY_BYTES / 1024 / 1024 })
          : ctx.t('tips:problems.message', { max: TIP_LIMITS.message });
      return send(res, tooLarge ? 413 : 400, messagePage(ctx, message, back));
    }
    // Only what failed, never the request: its body is a tip, and its address is not ours to keep.
    logger.error({ error: err instanceof Error ? err.name : typeof err, reason: err instanceof Error ? err.message : undefined, path }, 'tip form request failed');
    res.set('Retry-After', '60');
    return send(res, 503, messagePage(ctx, ctx.t(back === 'form' ? 'tipform:errors.unavailableTip' : 'tipform:errors.unavailable'), back));
  };
  router.use(TIP_FORM_PATH, onError);
  return router;
}

/**
 * body-parser marks what it refuses with a client status and `expose` (too large, bad charset, and a body that does
 * not inflate as its Content-Encoding says, which carries no `type`).
 */
function isBodyParserRefusal(err: unknown): boolean {
  const { expose, status } = (err ?? {}) as { expose?: unknown; status?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}
