import type { Request, RequestHandler, Response } from 'express';
import type { ApiTokens } from '../../accounts/api-tokens.js';
import type { Actor } from '../../accounts/actor.js';
import type { Logger } from '../logger.js';
import { ApiError } from './api-errors.js';

/** What one way of proving who is calling found: none of its proof in the request, proof that failed, or the caller. */
export type Authentication = 'absent' | 'rejected' | { caller: Actor };

/** One way of proving who is calling: an API token now, a console session later. */
export type Authenticator = (req: Request) => Promise<Authentication>;

const BEARER = /^Bearer +(\S+) *$/i;

/** `Authorization: Bearer lp_…` checked against the stored token hashes. */
export function bearerToken(tokens: ApiTokens): Authenticator {
  return async (req) => {
    const header = req.get('authorization');
    if (header === undefined) return 'absent';
    const token = BEARER.exec(header)?.[1];
    const user = token === undefined ? undefined : await tokens.verify(token);
    return user ? { caller: { name: user.username, role: user.role } } : 'rejected';
  };
}

/**
 * Lets a request through only with proof of who is calling, which it puts on `res.locals.caller`. Failed proof is
 * logged by where it was used, never by what was sent.
 */
export function authenticate(authenticators: readonly Authenticator[], logger: Logger): RequestHandler {
  return async (req, res, next) => {
    let rejected = false;
    for (const authenticator of authenticators) {
      const result = await authenticator(req);
      if (typeof result === 'object') {
        res.locals.caller = result.caller;
        return next();
      }
      rejected ||= result === 'rejected';
    }
    if (rejected) logger.warn({ method: req.method, path: req.baseUrl + req.path }, 'api credentials rejected');
    res.set('WWW-Authenticate', rejected ? 'Bearer realm="loaphuong", error="invalid_token"' : 'Bearer realm="loaphuong"');
    next(new ApiError({ status: 401, code: 'unauthenticated', key: 'api:errors.unauthenticated' }));
  };
}

/** The caller `authenticate` let through. */
export function callerOf(res: Response): Actor {
  const caller = res.locals.caller as Actor | undefined;
  if (!caller) throw new Error('callerOf used on a route that is not behind authenticate()');
  return caller;
}
