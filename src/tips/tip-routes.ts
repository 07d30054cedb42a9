import { Router } from 'express';
import { z } from 'zod';
import { parseWhen } from '../broadcasts/when.js';
import { dayBounds } from '../platform/time-zone.js';
import { validInput } from '../platform/http/api-input.js';
import { callerOf } from '../platform/http/authenticate.js';
import { TIP_LIMITS, tipCategorySchema, tipIdSchema, tipPrioritySchema, tipStatusSchema } from './schemas.js';
import type { Tips } from './tips.js';

/** Tip ids are made by `Tips.submit` ("t-" and hex); anything else is a malformed request, not an unknown tip. */
const tipParams = z.object({ id: tipIdSchema });
const photoParams = z.object({
  id: tipIdSchema,
  n: z
    .string()
    .regex(/^\d{1,2}$/, 'expected a photo number such as 0')
    .transform(Number)
    .pipe(z.number().max(TIP_LIMITS.photos - 1)),
});
const statusBody = z.strictObject({ status: tipStatusSchema, duplicateOf: tipIdSchema.optional() });
const priorityBody = z.strictObject({ priority: tipPrioritySchema });
/** Length and emptiness are the domain's to judge, so the API and the chat refuse the same texts the same way. */
const textBody = z.strictObject({ text: z.string() });

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const LEADING_DATE = /^(\d{4}-\d{2}-\d{2})/;

/**
 * A filter bound as the ISO instant `Tips.list` compares with: a bare date is a whole day on the ward's clock
 * (`from` its first moment, `to` its last, so `from=to=2026-06-01` is that day); anything else is read as `parseWhen`
 * reads a time ("2026-06-01 07:00" on the ward's clock, or ISO with its offset).
 */
function boundSchema(edge: 'from' | 'to', timeZone: string) {
  return z.string().transform((value, ctx) => {
    // Every accepted form starts with a date, and the time-zone arithmetic needs it to be a real one (no month 13).
    const date = LEADING_DATE.exec(value)?.[1];
    const real = date !== undefined && !Number.isNaN(Date.parse(`${date}T00:00:00Z`));
    const instant = !real ? undefined : DATE_ONLY.test(value) ? dayBounds(value, timeZone)?.[edge === 'from' ? 'first' : 'last'] : parseWhen(value, timeZone);
    if (!instant) {
      ctx.addIssue({ code: 'invalid_format', format: 'date', input: value });
      return z.NEVER;
    }
    return instant.toISOString();
  });
}

/** /api/v1/tips: each route reads its input, calls `Tips` (which lets only the police in and audits) and answers. */
export function tipRoutes(tips: Tips, timeZone: string): Router {
  const router = Router();
  const listQuery = z.object({
    status: tipStatusSchema.optional(),
    category: tipCategorySchema.optional(),
    from: boundSchema('from', timeZone).optional(),
    to: boundSchema('to', timeZone).optional(),
  });

  router.get('/', async (req, res) => {
    const filter = validInput(listQuery, req.query, res, 'query');
    res.json({ tips: await tips.list(callerOf(res), filter) });
  });

  router.get('/:id', async (req, res) => {
    const { id } = validInput(tipParams, req.params, res, 'params');
    res.json(await tips.read(id, callerOf(res)));
  });

  router.get('/:id/photos/:n', async (req, res) => {
    const { id, n } = validInput(photoParams, req.params, res, 'params');
    const photo = await tips.photo(id, n, callerOf(res));
    // Evidence, decrypted: no browser or proxy may keep a copy.
    res.set('Cache-Control', 'no-store').type('image/jpeg').send(photo);
  });

  router.post('/:id/claim', async (req, res) => {
    const { id } = validInput(tipParams, req.params, res, 'params');
    res.json(await tips.claim(id, callerOf(res)));
  });

  router.post('/:id/status', async (req, res) => {
    const { id } = validInput(tipParams, req.params, res, 'params');
    const change = validInput(statusBody, req.body, res, 'body');
    res.json(await tips.change(id, change, callerOf(res)));
  });

  router.post('/:id/priority', async (req, res) => {
    const { id } = validInput(tipParams, req.params, res, 'params');
    res.json(await tips.change(id, validInput(priorityBody, req.body, res, 'body'), callerOf(res)));
  });

  router.post('/:id/notes', async (req, res) => {
    const { id } = validInput(tipParams, req.params, res, 'params');
    const { text } = validInput(textBody, req.body, res, 'body');
    await tips.note(id, text, callerOf(res));
    res.status(204).end();
  });

  router.post('/:id/replies', async (req, res) => {
    const { id } = validInput(tipParams, req.params, res, 'params');
    const { text } = validInput(textBody, req.body, res, 'body');
    res.json(await tips.reply(id, text, callerOf(res)));
  });

  return router;
}
