import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../../accounts/password.js';
import { ROLES, SECOND_FACTOR_ROLES, usernameSchema } from '../../accounts/schemas.js';
import type { UserStore } from '../../accounts/user-store.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { Locale } from '../../platform/config.js';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import type { Translator } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { consoleErrorHandler, consoleHeaders, consolePage, sendPage } from './console-http.js';
import { clearCookie, CONSOLE_PATH, LOGIN_COOKIE, readCookie, SESSION_COOKIE, setCookie } from './cookies.js';
import { CSRF_FIELD, loginCsrfToken, sameToken } from './csrf.js';
import { LoginThrottle } from './login-throttle.js';
import { CODE_PATH, codePage, inLanguage, LOGIN_PATH, loginPage, LOGOUT_PATH, messagePage, type ConsolePage } from './login-page.js';
import { PendingLogins } from './pending-logins.js';
import { sessionGuard, sessionLocals, type RequireSession } from './require-session.js';
import { Sessions } from './sessions.js';
import { TotpReplayGuard } from './totp-replay.js';
import { matchTotp } from './totp.js';

const FORM_LIMIT = '16kb';
/** Long enough to fill in the form on a slow phone; a stale form is refused and simply reloaded. */
const LOGIN_COOKIE_MS = 60 * 60_000;

const passwordFormSchema = z.object({
  username: z.string().max(256).catch(''),
  password: z.string().max(1024).catch(''),
  [CSRF_FIELD]: z.string().max(256).catch(''),
});
const codeFormSchema = z.object({ code: z.string().max(32).catch(''), [CSRF_FIELD]: z.string().max(256).catch('') });
const signedOutQuerySchema = z.object({ out: z.literal('1').optional().catch(undefined) });

export interface ConsoleAuthParts {
  redis: Redis;
  prefix: string;
  box: SealedBox;
  /** Built with the box, so it can open TOTP secrets. */
  users: UserStore;
  audit: AuditLog;
  translator: Translator;
  defaultLocale: Locale;
  /** Whether the console is served over HTTPS, so cookies are only ever sent over it. */
  secureCookies: boolean;
  logger: Logger;
  now?: () => Date;
}

export interface ConsoleAuth {
  routes: Router;
  requireSession: RequireSession;
  sessions: Sessions;
}

/**
 * Signing in and out of the console: username and password, then the TOTP code when the account has one (police
 * and admin must), a session cookie at the end. Unknown users and wrong passwords get the same answer in about the
 * same time, and failures lock the account and the client address out for a while.
 */
export function consoleAuthentication(parts: ConsoleAuthParts): ConsoleAuth {
  const { redis, prefix, box, users, audit, translator, defaultLocale, secureCookies, logger } = parts;
  const now = parts.now ?? (() => new Date());
  const sessions = new Sessions(redis, prefix, box, users, now);
  const throttle = new LoginThrottle(redis, prefix, box, now);
  const pending = new PendingLogins(redis, prefix, box);
  const replay = new TotpReplayGuard(redis, prefix);
  const requireSession = sessionGuard({ sessions, translator, defaultLocale });
  // Unknown users are checked against this, so they take as long as real ones.
  const decoyHash = hashPassword(randomBytes(16).toString('hex'));
  const urlencoded = express.urlencoded({ extended: false, limit: FORM_LIMIT });
  const router = Router();

  const page = (req: Request) => consolePage(req, translator, defaultLocale);
  const clientOf = (req: Request) => box.hash('console-login-client', req.ip ?? '');

  /** The browser's login id, made on first sight; the form's CSRF token is derived from it. */
  const loginIdFor = (req: Request, res: Response): string => {
    const existing = readCookie(req, LOGIN_COOKIE);
    if (existing) return existing;
    const id = randomBytes(32).toString('base64url');
    setCookie(res, LOGIN_COOKIE, id, secureCookies, LOGIN_COOKIE_MS);
    return id;
  };

  /** The login id of a form post that carries the matching token, or undefined after a 403 page was sent. */
  const checkedLoginId = (req: Request, res: Response, submitted: string): string | undefined => {
    const id = readCookie(req, LOGIN_COOKIE);
    if (id && sameToken(loginCsrfToken(box, id), submitted)) return id;
    const p = page(req);
    sendPage(res, 403, messagePage(p, p.t('console:errors.csrf')));
    return undefined;
  };

  const locked = (res: Response, p: ConsolePage, csrf: string, until: Date) => {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now().getTime()) / 60_000));
    res.set('Retry-After', String(minutes * 60));
    sendPage(res, 429, loginPage(p, { csrf, problem: p.t('console:login.locked', { minutes }) }));
  };

  /** Audits a failure by the typed name only if it could be a username: a password typed in the wrong box is not kept. */
  const failed = (typed: string, reason: string, client: string) =>
    audit.record({
      actor: 'console:anonymous',
      action: 'console.login-failed',
      subject: usernameSchema.safeParse(typed).success ? `user:${typed}` : 'user:?',
      details: { reason, client },
    });

  const signIn = async (res: Response, p: ConsolePage, username: string, loginId: string, secondFactor: boolean) => {
    await throttle.succeed(username);
    await pending.end(loginId);
    setCookie(res, SESSION_COOKIE, await sessions.create(username), secureCookies);
    clearCookie(res, LOGIN_COOKIE, secureCookies);
    await audit.record({ actor: `console:${username}`, action: 'console.login', subject: `user:${username}`, details: { secondFactor } });
    res.redirect(303, inLanguage(CONSOLE_PATH, p.locale));
  };

  router.use(CONSOLE_PATH, consoleHeaders);

  router.get(LOGIN_PATH, async (req, res) => {
    const p = page(req);
    const sessionId = readCookie(req, SESSION_COOKIE);
    if (sessionId && (await sessions.find(sessionId))) return res.redirect(303, inLanguage(CONSOLE_PATH, p.locale));
    const notice = signedOutQuerySchema.parse(req.query).out ? p.t('console:login.signedOut') : undefined;
    sendPage(res, 200, loginPage(p, { csrf: loginCsrfToken(box, loginIdFor(req, res)), notice }));
  });

  router.post(LOGIN_PATH, urlencoded, async (req, res) => {
    const p = page(req);
    const form = passwordFormSchema.parse(req.body ?? {});
    const loginId = checkedLoginId(req, res, form.csrf);
    if (!loginId) return;
    const csrf = form.csrf;
    const username = form.username.trim().toLowerCase();
    if (username === '' || form.password === '') return sendPage(res, 422, loginPage(p, { csrf, username, problem: p.t('console:login.missing') }));
    const client = clientOf(req);
    const lockedUntil = await throttle.lockedUntil(username, client);
    if (lockedUntil) return locked(res, p, csrf, lockedUntil);

    const user = usernameSchema.safeParse(username).success ? await users.get(username) : undefined;
    const passwordOk = await verifyPassword(form.password, user?.passwordHash ?? (await decoyHash));
    if (!user || !passwordOk || user.status !== 'active') {
      await failed(username, !user ? 'unknown-user' : !passwordOk ? 'wrong-password' : 'disabled', client);
      const lockEnd = await throttle.fail(username, client);
      if (lockEnd) return locked(res, p, csrf, lockEnd);
      return sendPage(res, 401, loginPage(p, { csrf, username, problem: p.t('console:login.failed') }));
    }

    if (await users.totpSecret(username)) {
      await pending.start(loginId, username);
      return sendPage(res, 200, codePage(p, { csrf }));
    }
    if (SECOND_FACTOR_ROLES.includes(user.role)) {
      await failed(username, 'second-factor-not-enrolled', client);
      return sendPage(res, 403, messagePage(p, p.t('console:login.needsSecondFactor', { role: p.t(`console:roles.${user.role}`) })));
    }
    return signIn(res, p, username, loginId, false);
  });

  router.post(CODE_PATH, urlencoded, async (req, res) => {
    const p = page(req);
    const form = codeFormSchema.parse(req.body ?? {});
    const loginId = checkedLoginId(req, res, form.csrf);
    if (!loginId) return;
    const csrf = form.csrf;
    const username = await pending.find(loginId);
    const user = username === undefined ? undefined : await users.get(username);
    const secret = user?.status === 'active' ? await users.totpSecret(user.username) : undefined;
    if (!user || !secret) return sendPage(res, 401, loginPage(p, { csrf, problem: p.t('console:login.expired') }));

    const client = clientOf(req);
    const lockedUntil = await throttle.lockedUntil(user.username, client);
    if (lockedUntil) {
      await pending.end(loginId);
      return locked(res, p, csrf, lockedUntil);
    }
    const step = matchTotp(secret, form.code, now());
    const fresh = step !== undefined && (await replay.claim(user.username, step));
    if (!fresh) {
      await failed(user.username, step === undefined ? 'wrong-code' : 'reused-code', client);
      const lockEnd = await throttle.fail(user.username, client);
      if (lockEnd) {
        await pending.end(loginId);
        return locked(res, p, csrf, lockEnd);
      }
      return sendPage(res, 401, codePage(p, { csrf, problem: p.t('console:code.wrong') }));
    }
    return signIn(res, p, user.username, loginId, true);
  });

  router.post(LOGOUT_PATH, ...requireSession(ROLES), async (req, res) => {
    const { signedIn, sessionId } = sessionLocals(res);
    await sessions.end(sessionId);
    clearCookie(res, SESSION_COOKIE, secureCookies);
    await audit.record({ actor: `console:${signedIn.username}`, action: 'console.logout', subject: `user:${signedIn.username}` });
    res.redirect(303, `${inLanguage(LOGIN_PATH, page(req).locale)}&out=1`);
  });


  router.use(CONSOLE_PATH, consoleErrorHandler(logger, page));
  return { routes: router, requireSession, sessions };
}
