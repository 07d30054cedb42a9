import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'lp_session';
/** A random id for one browser's way through the login form: its CSRF token and its pending second step hang on it. */
export const LOGIN_COOKIE = 'lp_login';
export const CONSOLE_PATH = '/console';

/** The random values this service puts in its cookies: 256 bits, base64url. */
export const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/** One cookie from the request, if present and shaped like the values this service sets. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return COOKIE_VALUE.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** Out of reach of scripts and other sites, and only sent to the console. */
export function setCookie(res: Response, name: string, value: string, secure: boolean, maxAgeMs?: number): void {
  res.cookie(name, value, { httpOnly: true, sameSite: 'strict', path: CONSOLE_PATH, secure, ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }) });
}

export function clearCookie(res: Response, name: string, secure: boolean): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'strict', path: CONSOLE_PATH, secure });
}
