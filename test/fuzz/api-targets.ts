import type { Router } from 'express';
import fc from 'fast-check';
import type { Role } from '../../src/accounts/schemas.js';
import { broadcastRoutes } from '../../src/broadcasts/broadcast-routes.js';
import { API_BASE } from '../../src/platform/http/api-router.js';
import { questionRoutes } from '../../src/questions/question-routes.js';
import { tipRoutes } from '../../src/tips/tip-routes.js';
import type { FuzzTarget } from './fuzz-run.js';
import type { FuzzService, SeededIds } from './fuzz-service.js';
import { headerValue, hostileBody, hostileHeaders, hostileJson, hostileText, mutated, percentEncode, queryString } from './hostile.js';

/** The API router's JSON limit (64kb). */
const BODY_LIMIT = 64 * 1024;

/** The routers the service mounts under /api/v1, by the segment they answer under (as in service.ts). */
function resources(fz: FuzzService): Record<keyof SeededIds, { path: string; router: Router; roles: readonly Role[] }> {
  const { service } = fz;
  const timeZone = service.config.timeZone;
  return {
    schedule: { path: 'broadcasts', router: broadcastRoutes(service.broadcasts, timeZone), roles: ['staff', 'approver'] },
    tip: { path: 'tips', router: tipRoutes(service.tips, timeZone), roles: ['police'] },
    question: { path: 'questions', router: questionRoutes(service.questions), roles: ['staff', 'admin'] },
  };
}

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route a router declares, read from its own stack, so that a route added later is fuzzed too. */
function routesOf(router: Router): { method: string; path: string }[] {
  return (router.stack as RouteLayer[]).flatMap((layer) =>
    layer.route ? Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path: layer.route!.path })) : [],
  );
}

const nextYear = new Date().getUTCFullYear() + 1;
/** Valid bodies for each route that reads one; mutations start from them, so some stay valid and reach the domain. */
const BODIES: Record<string, readonly unknown[]> = {
  'POST /broadcasts/': [
    {
      title: 'Nhắc lịch họp tổ dân phố',
      timing: { kind: 'once', at: `${nextYear}-06-05 09:00` },
      target: { kind: 'all' },
      content: { kind: 'message', campaign: '2026-thang-hanh-dong', message: 'to-giac-vi-sao-01' },
      urgent: false,
    },
    {
      title: 'Bản tin sáng thứ hai',
      timing: { kind: 'cron', pattern: '0 7 * * 1', from: `${nextYear}-06-01 00:00`, until: `${nextYear}-06-30 23:59` },
      target: { kind: 'tags', tags: ['to-dan-pho'] },
      content: { kind: 'rotation', campaign: '2026-thang-hanh-dong', topic: 'campaign' },
    },
    { title: 'Thông báo', timing: { kind: 'once', at: `${nextYear}-06-05T09:00:00+07:00` }, target: { kind: 'groups', ids: ['g-0123456789'] }, content: { kind: 'text', text: { vi: 'Xin chào bà con {{ward_name}}', en: 'Hello' } } },
  ],
  'POST /broadcasts/import-calendar': [{ campaign: '2026-thang-hanh-dong', target: { kind: 'tags', tags: ['to-dan-pho'] } }],
  'POST /broadcasts/occurrences/:occurrenceId/retry': [{ group: 'g-0123456789' }, {}],
  'POST /tips/:id/status': [{ status: 'duplicate', duplicateOf: 't-0123456789' }, { status: 'closed' }],
  'POST /tips/:id/priority': [{ priority: 'high' }],
  'POST /tips/:id/notes': [{ text: 'Đã xác minh tại chỗ.' }],
  'POST /tips/:id/replies': [{ text: 'Cảm ơn bạn, công an phường đã tiếp nhận.' }],
  'POST /questions/:id/answer': [{ text: 'Công an phường làm việc sáng thứ bảy.' }],
};
const FIELDS = ['title', 'timing', 'kind', 'at', 'pattern', 'from', 'until', 'target', 'tags', 'ids', 'platform', 'content', 'campaign', 'message', 'topic', 'text', 'vi', 'en', 'urgent', 'group', 'status', 'duplicateOf', 'priority'];

/** A path parameter: a real record's id, one in the right format that names nothing, or anything at all. */
function param(name: string, seeded: string): fc.Arbitrary<string> {
  const wellFormed = name === 'n' ? fc.constantFrom('0', '1', '2', '3', '99', '-1', '007') : fc.constantFrom(seeded, `${seeded.slice(0, 2)}0123456789`, `${seeded}.2027-06-05t0200`);
  return fc.oneof(
    { weight: 3, arbitrary: wellFormed },
    { weight: 2, arbitrary: hostileText(300).map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '..', '%2e%2e', '%2F', '__proto__', 'constructor') },
  );
}

/** Every route of the API, by resource; checked against the routers, so that a new route cannot go unfuzzed. */
export const API_ROUTES = {
  broadcasts: [
    'GET /broadcasts/',
    'POST /broadcasts/',
    'POST /broadcasts/import-calendar',
    'GET /broadcasts/occurrences/:occurrenceId/deliveries',
    'POST /broadcasts/occurrences/:occurrenceId/retry',
    'GET /broadcasts/:id',
    'POST /broadcasts/:id/approve',
    'POST /broadcasts/:id/pause',
    'POST /broadcasts/:id/resume',
    'POST /broadcasts/:id/cancel',
    'GET /broadcasts/:id/preview',
    'GET /broadcasts/:id/dry-run',
  ],
  tips: ['GET /tips/', 'GET /tips/:id', 'GET /tips/:id/photos/:n', 'POST /tips/:id/claim', 'POST /tips/:id/status', 'POST /tips/:id/priority', 'POST /tips/:id/notes', 'POST /tips/:id/replies'],
  questions: ['GET /questions/', 'GET /questions/:id', 'POST /questions/:id/answer', 'POST /questions/:id/close'],
} as const;

/**
 * Every route of the JSON API, each as a target: its path parameters, query and body fuzzed, mostly with a token of
 * a role the route lets in (so the input checks are what is reached), sometimes another role's, a broken one or none.
 */
export function apiTargets(fz: FuzzService): FuzzTarget[] {
  const targets = Object.entries(resources(fz)).flatMap(([resource, { path: segment, router, roles }]) =>
    routesOf(router).map(({ method, path }) => {
      const key = `${method} /${segment}${path}`;
      const params = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
      const seeded = fz.seeded[resource as keyof SeededIds];
      const auth = fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...roles).map((role) => `Bearer ${fz.tokens[role]}`) },
        { weight: 1, arbitrary: fc.constantFrom(...(Object.keys(fz.tokens) as Role[])).map((role) => `Bearer ${fz.tokens[role]}`) },
        { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer lp_', `Bearer ${'A'.repeat(43)}`, `bearer  ${fz.tokens[roles[0]!]}  `, `Basic ${Buffer.from('a:b').toString('base64')}`) },
        { weight: 1, arbitrary: headerValue },
      );
      const template = fc.constantFrom(...(BODIES[key] ?? [{}]));
      const cases = fc
        .record({
          method: fc.oneof({ weight: 9, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH') }),
          params: fc.tuple(...params.map((name) => param(name, seeded))),
          query: fc.option(queryString, { freq: 3 }),
          body: hostileBody(fc.oneof({ weight: 3, arbitrary: template.chain((body) => mutated(body, FIELDS)) }, { weight: 1, arbitrary: hostileJson(FIELDS) }), BODY_LIMIT),
          auth: fc.option(auth, { freq: 8, nil: undefined }),
          extra: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileHeaders }),
        })
        .map(({ method: sent, params: values, query, body, auth: authorization, extra }) => {
          let filled = path;
          params.forEach((name, i) => (filled = filled.replace(`:${name}`, values[i]!)));
          const fullPath = `${API_BASE}/${segment}${filled === '/' ? '' : filled}${query === null ? '' : `?${query}`}`;
          const headers = { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }), ...extra };
          return { method: sent, path: fullPath, headers, body: sent === 'GET' ? Buffer.alloc(0) : body };
        });
      return { name: key, cases, allowedWrites: [], bodyLimit: BODY_LIMIT };
    }),
  );
  const declared = Object.values(API_ROUTES).flat();
  const found = targets.map((t) => t.name);
  if (JSON.stringify([...found].sort()) !== JSON.stringify([...declared].sort())) {
    throw new Error(`the API's routes are now ${found.join(', ')}: update API_ROUTES and the fuzz tests`);
  }
  return targets;
}
