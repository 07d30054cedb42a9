import express, { Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/redis.js';
import { Readiness } from '../readiness.js';
import { createApp, HttpError } from './app.js';
import { listen, type Listening } from './server.js';

let http: Listening | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

async function serve(router: Router, trustedProxies = 0): Promise<string> {
  http = await listen(createApp({ readiness: new Readiness(), logger: silentLogger(), routers: [router], trustedProxies }), '127.0.0.1', 0);
  return `http://127.0.0.1:${http.port}`;
}

describe('createApp', () => {
  it.each([
    [0, '127.0.0.1'],
    [1, '203.0.113.9'],
  ])('with %i trusted proxies sees the client at %s', async (proxies, expected) => {
    const router = Router();
    router.get('/ip', (req, res) => void res.json({ ip: req.ip }));
    const base = await serve(router, proxies);
    const answer = await fetch(`${base}/ip`, { headers: { 'X-Forwarded-For': '198.51.100.1, 203.0.113.9' } });
    expect(((await answer.json()) as { ip: string }).ip).toBe(expected);
  });

  it('sends the security headers on every answer, errors included, with a policy that runs no script at all', async () => {
    const router = Router();
    router.get('/page', (_req, res) => void res.type('html').send('<p>hello</p>'));
    const base = await serve(router);
    for (const path of ['/page', '/healthz', '/nowhere']) {
      const { headers } = await fetch(`${base}${path}`);
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp.split(';').map((d) => d.trim())).toEqual(expect.arrayContaining(["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]));
      expect(csp).not.toContain('script-src');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers errors as JSON with a status and a message, never a stack', async () => {
    const router = Router();
    router.post('/echo', express.json({ limit: '1kb' }), (req, res) => void res.json(req.body));
    router.get('/teapot', () => {
      throw new HttpError(418, 'teapot', 'I am a teapot.');
    });
    router.get('/boom', async () => {
      throw new Error('secret internals');
    });
    const base = await serve(router);

    const missing = await fetch(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No such page or endpoint.' } });

    expect(await (await fetch(`${base}/teapot`)).json()).toEqual({ error: { code: 'teapot', message: 'I am a teapot.' } });

    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    expect(JSON.stringify(await boom.json())).not.toContain('secret internals');

    const malformed = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('entity.parse.failed');

    const big = await fetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(2000) }),
    });
    expect(big.status).toBe(413);
  });

  it('reports readiness from every probe', async () => {
    const readiness = new Readiness();
    readiness.add('ok', async () => ({ ok: true }));
    readiness.add('slow', () => new Promise(() => undefined));
    readiness.add('broken', async () => {
      throw new Error('no route to host');
    });
    expect(await readiness.check()).toEqual({
      ready: false,
      checks: { ok: 'ok', slow: 'timed out', broken: 'no route to host' },
    });
  });
});
