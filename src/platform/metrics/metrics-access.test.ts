import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { ApiError } from '../http/api-errors.js';
import { isLoopback, metricsAccess } from './metrics-access.js';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';

interface Outcome {
  /** undefined: let through; otherwise the status of the refusal. */
  refused?: number;
  wwwAuthenticate?: string;
}

/** Runs the middleware on a request from `remoteAddress` with these headers and reports what it decided. */
function decide(token: string | undefined, remoteAddress: string | undefined, headers: Record<string, string> = {}): Outcome {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const req = { get: (name: string) => lower[name.toLowerCase()], socket: { remoteAddress } } as unknown as Request;
  const set: Record<string, string> = {};
  const res = { set: (name: string, value: string) => void (set[name] = value) } as unknown as Response;
  let outcome: Outcome | undefined;
  const next: NextFunction = (err?: unknown) => {
    if (err === undefined) outcome = {};
    else if (err instanceof ApiError) outcome = { refused: err.status, wwwAuthenticate: set['WWW-Authenticate'] };
    else throw err;
  };
  void metricsAccess(token)(req, res, next);
  if (!outcome) throw new Error('the middleware neither let the request through nor refused it');
  return outcome;
}

describe('metricsAccess with a token', () => {
  it('lets through the right bearer token, from any address', () => {
    expect(decide(TOKEN, '203.0.113.9', { Authorization: `Bearer ${TOKEN}` })).toEqual({});
    expect(decide(TOKEN, '127.0.0.1', { Authorization: `bearer ${TOKEN}` })).toEqual({});
  });

  it('refuses a wrong token with 401 and says the token was invalid', () => {
    for (const wrong of [`${TOKEN.slice(0, -1)}x`, 'short', `${TOKEN}${TOKEN}`]) {
      expect(decide(TOKEN, '127.0.0.1', { Authorization: `Bearer ${wrong}` })).toEqual({
        refused: 401,
        wwwAuthenticate: 'Bearer realm="metrics", error="invalid_token"',
      });
    }
  });

  it('refuses a missing token or another scheme with 401, loopback clients included', () => {
    const challenge = { refused: 401, wwwAuthenticate: 'Bearer realm="metrics"' };
    expect(decide(TOKEN, '127.0.0.1')).toEqual(challenge);
    expect(decide(TOKEN, '::1', { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).toEqual(challenge);
    expect(decide(TOKEN, '127.0.0.1', { Authorization: 'Bearer' })).toEqual(challenge);
  });
});

describe('metricsAccess without a token', () => {
  it('lets through clients on this machine', () => {
    for (const address of ['127.0.0.1', '127.0.0.53', '::1', '::ffff:127.0.0.1']) expect(decide(undefined, address), address).toEqual({});
  });

  it('refuses every other address with 403, whatever X-Forwarded-For claims', () => {
    for (const address of ['10.0.0.5', '203.0.113.9', '::ffff:10.0.0.1', 'fe80::1', '128.0.0.1', undefined]) {
      expect(decide(undefined, address, { 'X-Forwarded-For': '127.0.0.1' }), String(address)).toEqual({ refused: 403, wwwAuthenticate: undefined });
    }
  });

  it('refuses what a proxy on this machine forwarded, since it may come from anyone', () => {
    expect(decide(undefined, '127.0.0.1', { 'X-Forwarded-For': '198.51.100.7' })).toMatchObject({ refused: 403 });
    expect(decide(undefined, '::1', { Forwarded: 'for=198.51.100.7' })).toMatchObject({ refused: 403 });
  });

  it('does not take a bearer token as a reason to let a remote client through', () => {
    expect(decide(undefined, '203.0.113.9', { Authorization: `Bearer ${TOKEN}` })).toMatchObject({ refused: 403 });
  });
});

describe('isLoopback', () => {
  it('reads only the socket address forms of loopback', () => {
    expect([isLoopback('127.0.0.1'), isLoopback('::1'), isLoopback('::ffff:127.1.2.3')]).toEqual([true, true, true]);
    expect([isLoopback('0.0.0.0'), isLoopback('::'), isLoopback('1.127.0.0'), isLoopback(undefined)]).toEqual([false, false, false, false]);
  });
});

describe('METRICS_TOKEN setting', () => {
  it('is read into the configuration', () => {
    expect(loadConfig({ METRICS_TOKEN: TOKEN }).metrics.token).toBe(TOKEN);
    expect(loadConfig({}).metrics.token).toBeUndefined();
  });

  it('refuses a short or spaced token without echoing it', () => {
    for (const bad of ['too-short-token', 'a token with spaces in it, long enough to pass']) {
      let error: unknown;
      try {
        loadConfig({ METRICS_TOKEN: bad });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain('METRICS_TOKEN');
      expect((error as ConfigError).message).not.toContain(bad);
    }
  });
});
