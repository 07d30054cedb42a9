import { Router } from 'express';
import { z } from 'zod';
import { KEBAB_CASE } from '../content/schemas.js';
import { ApiError } from '../platform/http/api-errors.js';
import { validInput } from '../platform/http/api-input.js';
import { callerOf } from '../platform/http/authenticate.js';
import { DomainError } from '../platform/domain-error.js';
import type { Broadcasts } from './broadcasts.js';
import { importCalendar } from './calendar-import.js';
import { scheduleIdSchema, scheduleStatusSchema, targetSchema } from './schemas.js';
import { parseWhen } from './when.js';

const scheduleParams = z.object({ id: scheduleIdSchema });
const occurrenceParams = z.object({ occurrenceId: z.string().min(1).max(240) });
const listQuery = z.object({ status: scheduleStatusSchema.optional() });
const dryRunQuery = z.object({ at: z.string().optional() });
/** The schedule itself is checked by the domain, field by field; here only that there is an object to check. */
const createBody = z.record(z.string(), z.unknown());
const retryBody = z.strictObject({ group: z.string().min(1).max(40).optional() });
const importBody = z.strictObject({ campaign: z.string().regex(KEBAB_CASE), target: targetSchema });

const TRANSITIONS = ['approve', 'pause', 'resume', 'cancel'] as const;

/** /api/v1/broadcasts: each route reads its input, calls `Broadcasts` (which checks the caller's role) and answers. */
export function broadcastRoutes(broadcasts: Broadcasts, timeZone: string): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { status } = validInput(listQuery, req.query, res, 'query');
    res.json({ broadcasts: await broadcasts.list(callerOf(res), status) });
  });

  router.post('/', async (req, res) => {
    const schedule = await broadcasts.create(validInput(createBody, req.body, res, 'body'), callerOf(res));
    // Only a caller-chosen id can be taken already; this is a random one that collided.
    if (!schedule) throw new DomainError('conflict', 'api:errors.tryAgain');
    res.status(201).location(`${req.baseUrl}/${schedule.id}`).json(schedule);
  });

  router.post('/import-calendar', async (req, res) => {
    const { campaign, target } = validInput(importBody, req.body, res, 'body');
    res.json(await importCalendar(broadcasts, campaign, target, callerOf(res)));
  });

  router.get('/occurrences/:occurrenceId/deliveries', async (req, res) => {
    const { occurrenceId } = validInput(occurrenceParams, req.params, res, 'params');
    res.json({ deliveries: await broadcasts.deliveries(occurrenceId, callerOf(res)) });
  });

  router.post('/occurrences/:occurrenceId/retry', async (req, res) => {
    const { occurrenceId } = validInput(occurrenceParams, req.params, res, 'params');
    const { group } = validInput(retryBody, req.body ?? {}, res, 'body');
    res.json({ retried: await broadcasts.retry(occurrenceId, callerOf(res), group) });
  });

  router.get('/:id', async (req, res) => {
    const { id } = validInput(scheduleParams, req.params, res, 'params');
    res.json(await broadcasts.status(id, callerOf(res)));
  });

  for (const action of TRANSITIONS) {
    router.post(`/:id/${action}`, async (req, res) => {
      const { id } = validInput(scheduleParams, req.params, res, 'params');
      res.json(await broadcasts[action](id, callerOf(res)));
    });
  }

  router.get('/:id/preview', async (req, res) => {
    const { id } = validInput(scheduleParams, req.params, res, 'params');
    res.json({ texts: await broadcasts.preview(id, callerOf(res)) });
  });

  router.get('/:id/dry-run', async (req, res) => {
    const { id } = validInput(scheduleParams, req.params, res, 'params');
    const { at } = validInput(dryRunQuery, req.query, res, 'query');
    const when = at === undefined ? undefined : parseWhen(at, timeZone);
    if (at !== undefined && !when) {
      throw new ApiError({ status: 400, code: 'bad-request', key: 'api:errors.badRequest', problems: [{ field: 'at', key: 'broadcasts:problems.badTime', params: { value: at } }] });
    }
    res.json(await broadcasts.dryRun(id, callerOf(res), when));
  });

  return router;
}
