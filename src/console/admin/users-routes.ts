import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { generatePassword } from '../../accounts/password.js';
import { newUserSchema, SECOND_FACTOR_ROLES, usernameSchema } from '../../accounts/schemas.js';
import { UserExistsError, type UserStore } from '../../accounts/user-store.js';
import { sendPage } from '../auth/console-http.js';
import type { ConsolePage } from '../auth/login-page.js';
import { sessionLocals } from '../auth/require-session.js';
import { USERS_PATH } from './admin-page.js';
import { addedNotice, DISABLE_PATH, usersPage, type UsersView } from './users-page.js';

const addFormSchema = z.object({
  username: z.string().max(256).catch('').transform((s) => s.trim().toLowerCase()),
  displayName: z.string().max(256).catch('').transform((s) => s.trim()),
  role: z.string().max(32).catch(''),
});
const newAccountSchema = newUserSchema.omit({ password: true });
const disableFormSchema = z.object({ username: usernameSchema });

export interface UsersRouteParts {
  users: UserStore;
  timeZone: string;
  page: (req: Request) => ConsolePage;
}

/** The accounts page: the list, a form to add an account with a generated password, and disabling. */
export function usersRoutes(parts: UsersRouteParts): Router {
  const { users, timeZone } = parts;
  const router = Router();

  const show = async (req: Request, res: Response, status: number, extra: Pick<UsersView, 'message' | 'draft'> = {}) => {
    const { signedIn } = sessionLocals(res);
    const view: UsersView = { users: await users.list(), self: signedIn.username, csrf: signedIn.csrf, timeZone, ...extra };
    sendPage(res, status, usersPage(parts.page(req), view));
  };
  const actor = (res: Response) => `console:${sessionLocals(res).signedIn.username}`;

  router.get(USERS_PATH, (req, res) => show(req, res, 200));

  router.post(USERS_PATH, async (req, res) => {
    const p = parts.page(req);
    const draft = addFormSchema.parse(req.body ?? {});
    const checked = newAccountSchema.safeParse(draft);
    if (!checked.success) {
      const field = String(checked.error.issues[0]?.path[0] ?? 'username');
      return show(req, res, 422, { draft, message: { problem: p.t(`console:admin.users.problems.${problemKey(field)}`) } });
    }
    const password = generatePassword();
    try {
      const user = await users.add({ ...checked.data, password }, actor(res));
      return show(req, res, 201, { message: { notice: addedNotice(p, user, password, SECOND_FACTOR_ROLES.includes(user.role)) } });
    } catch (err) {
      if (!(err instanceof UserExistsError)) throw err;
      return show(req, res, 409, { draft, message: { problem: p.t('console:admin.users.exists', { username: draft.username }) } });
    }
  });

  router.post(DISABLE_PATH, async (req, res) => {
    const p = parts.page(req);
    const form = disableFormSchema.safeParse(req.body ?? {});
    const user = form.success ? await users.get(form.data.username) : undefined;
    if (!form.success || !user) return show(req, res, 404, { message: { problem: p.t('console:admin.users.notFound') } });
    if (user.username === sessionLocals(res).signedIn.username) return show(req, res, 409, { message: { problem: p.t('console:admin.users.notSelf') } });
    await users.disable(user.username, actor(res));
    return show(req, res, 200, { message: { notice: p.t('console:admin.users.disabled', { username: user.username }) } });
  });

  return router;
}

function problemKey(field: string): 'username' | 'displayName' | 'role' {
  return field === 'displayName' || field === 'role' ? field : 'username';
}
