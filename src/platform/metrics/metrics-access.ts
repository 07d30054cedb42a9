import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from '../http/api-errors.js';

const BEARER = /^Bearer +(\S+) *$/i;
const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The socket's own address: X-Forwarded-For is the client's claim and is not believed here. */
export function isLoopback(address: string | undefined): boolean {
  return address === '::1' || (address !== undefined && /^(?:::ffff:)?127\./.test(address));
}

/**
 * Who may read /metrics. With a token configured: whoever sends it as `Authorization: Bearer <token>`. Without one:
 * only a client on this machine that reached the socket itself — a request a reverse proxy forwarded also comes from
 * a loopback address, on behalf of anyone, so one carrying X-Forwarded-For or Forwarded is refused.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  if (token !== undefined) {
    const expected = digest(token);
    return (req, res, next) => {
      const sent = BEARER.exec(req.get('authorization') ?? '')?.[1];
      // Comparing digests keeps the comparison constant-time whatever length was sent.
      if (sent !== undefined && timingSafeEqual(digest(sent), expected)) return next();
      res.set('WWW-Authenticate', sent === undefined ? 'Bearer realm="metrics"' : 'Bearer realm="metrics", error="invalid_token"');
      next(new ApiError({ status: 401, code: 'unauthenticated', key: 'api:errors.metricsToken' }));
    };
  }
  return (req, _res, next) => {
    const forwarded = req.get('x-forwarded-for') !== undefined || req.get('forwarded') !== undefined;
    if (isLoopback(req.socket.remoteAddress) && !forwarded) return next();
    next(new ApiError({ status: 403, code: 'forbidden', key: 'api:errors.metricsLocalOnly' }));
  };
}
