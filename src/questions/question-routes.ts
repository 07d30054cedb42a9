import { Router } from 'express';
import { z } from 'zod';
import { validInput } from '../platform/http/api-input.js';
import { callerOf } from '../platform/http/authenticate.js';
import type { Questions } from './questions.js';
import { questionIdSchema, questionStatusSchema } from './schemas.js';

const questionParams = z.object({ id: questionIdSchema });
const listQuery = z.object({ status: questionStatusSchema.optional() });
/** How long an answer may be is the domain's to say, in the staff's words. */
const answerBody = z.strictObject({ text: z.string() });

/** /api/v1/questions: each route reads its input, calls `Questions` (which checks the caller's role) and answers. */
export function questionRoutes(questions: Questions): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { status } = validInput(listQuery, req.query, res, 'query');
    res.json({ questions: await questions.list(callerOf(res), status) });
  });

  router.get('/:id', async (req, res) => {
    const { id } = validInput(questionParams, req.params, res, 'params');
    res.json(await questions.get(id, callerOf(res)));
  });

  router.post('/:id/answer', async (req, res) => {
    const { id } = validInput(questionParams, req.params, res, 'params');
    const { text } = validInput(answerBody, req.body ?? {}, res, 'body');
    res.json(await questions.answer(id, text, callerOf(res)));
  });

  router.post('/:id/close', async (req, res) => {
    const { id } = validInput(questionParams, req.params, res, 'params');
    res.json(await questions.close(id, callerOf(res)));
  });

  return router;
}
