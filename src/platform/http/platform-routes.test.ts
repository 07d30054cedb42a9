import { Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/redis.js';
import { Readiness } from '../readiness.js';
import { createApp } from './app.js';
import { withPlatformRoutes, type PlatformRoute } from './platform-routes.js';
import { listen, type Listening } from './server.js';

let http: Listening | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

/** Answers `POST /hook` itself and passes on everything else. */
const hook: PlatformRoute = (req, res, next) => {
  if (req.method !== 'POST' || req.url !== '/hook') {
    next();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
};

describe('withPlatformRoutes', () => {
  it('lets the platform routes answer first, and the app, with its security headers, everything they pass on', async () => {
    const pages = Router();
    pages.get('/page', (_req, res) => void res.type('html').send('<p>hello</p>'));
    const app = createApp({ readiness: new Readiness(), logger: silentLogger(), routers: [pages] });
    http = await listen(withPlatformRoutes(app, [hook]), '127.0.0.1', 0);
    const base = `http://127.0.0.1:${http.port}`;

    const answered = await fetch(`${base}/hook`, { method: 'POST' });
    expect(await answered.json()).toEqual({ ok: true });
    expect(answered.headers.get('content-security-policy')).toBeNull();

    for (const [method, path, status] of [['GET', '/hook', 404], ['POST', '/page', 404], ['GET', '/page', 200], ['GET', '/healthz', 200]] as const) {
      const passed = await fetch(`${base}${path}`, { method });
      expect(passed.status, `${method} ${path}`).toBe(status);
      expect(passed.headers.get('content-security-policy'), `${method} ${path}`).toContain("default-src 'none'");
      expect(passed.headers.get('x-frame-options'), `${method} ${path}`).toBe('SAMEORIGIN');
    }
  });
});
