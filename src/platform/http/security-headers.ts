import helmet from 'helmet';
import type { RequestHandler } from 'express';

type Directives = Record<string, string[]>;

/**
 * Every page this service serves (console, tip form, sandbox) is plain server-rendered HTML: no scripts at all, no
 * third parties, no framing. Styles stay inline because the pages carry their own small `<style>` blocks.
 */
const PAGE_DIRECTIVES: Directives = {
  'default-src': ["'none'"],
  'style-src': ["'unsafe-inline'"],
  'img-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
};

/**
 * helmet's headers on every answer, pages and API alike, with the strict page policy above. `no-referrer` keeps a
 * tip page's address (and the receipt code in it) from leaking to any link followed from it.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
}

/** A looser policy for one part that needs it, replacing the page policy (helmet sets the header afresh). */
export function contentSecurityPolicy(directives: Directives): RequestHandler {
  return helmet.contentSecurityPolicy({ useDefaults: false, directives });
}
