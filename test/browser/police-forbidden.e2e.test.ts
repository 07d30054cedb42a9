import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiTokens } from '../../src/accounts/api-tokens.js';
import { UserStore } from '../../src/accounts/user-store.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { TIPS_PATH } from '../../src/console/police/police-view.js';
import { loadKeyring } from '../../src/platform/crypto/keyring.js';
import { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { API_BASE } from '../../src/platform/http/api-router.js';
import type { TFunction } from '../../src/platform/i18n.js';
import { addConsoleAccount, BROWSER_TIMEOUTS, consoleText, describeInBrowser, launchChromium, signInThroughPages, type ConsoleAccount } from '../support/browser.js';
import { silentLogger } from '../support/redis.js';
import { startTestService, type TestService } from '../support/service.js';

/** What express's router keeps of each `use` and route (router 2.x), enough to list every path the app answers. */
interface StackLayer {
  rawPath?: unknown;
  slash?: boolean;
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle: { stack?: StackLayer[] };
}

interface Endpoint {
  method: string;
  path: string;
}

function endpointsOf(stack: readonly StackLayer[], base = ''): Endpoint[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = [layer.route.path].flat();
      if (!paths.every((path) => typeof path === 'string')) throw new Error(`a route under "${base}" has a pattern this test cannot list`);
      const methods = Object.keys(layer.route.methods).filter((method) => method !== '_all');
      return paths.flatMap((path) => methods.map((method) => ({ method: method.toUpperCase(), path: `${base}${path}` })));
    }
    if (!layer.handle.stack) return [];
    const mount = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath;
    return endpointsOf(layer.handle.stack, `${base}${mount}`);
  });
}

const POLICE_PREFIXES = [TIPS_PATH, `${API_BASE}/tips`];
/** Valid bodies, so a refusal can only be about the role and not about the input. */
const API_BODIES: Record<string, unknown> = {
  status: { status: 'closed' },
  priority: { priority: 'urgent' },
  notes: { text: 'không được phép' },
  replies: { text: 'không được phép' },
};
const FORM_BODY = { status: 'closed', priority: 'urgent', text: 'không được phép' };

describeInBrowser('the console in Chromium: staff and the police pages', () => {
  let service: TestService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let t: TFunction;
  let staff: ConsoleAccount;
  let token: string;
  let tipId: string;
  let endpoints: Endpoint[];

  /** A path the app answers, with real-looking values for its parameters. */
  const concrete = (path: string) => {
    const filled = path.replace(/:id\b/g, tipId).replace(/:n\b/g, '0');
    if (/[:*]/.test(filled)) throw new Error(`${path}: give its parameter a real-looking value in this test`);
    return filled;
  };

  beforeAll(async () => {
    service = await startTestService();
    const { redis, prefix } = service.datastore;
    const audit = new AuditLog(redis, prefix);
    const box = new SealedBox(loadKeyring(service.config.secrets, silentLogger()));
    staff = await addConsoleAccount(service, 'lan.staff', 'staff');
    token = await new ApiTokens(redis, prefix, box, new UserStore(redis, prefix, audit), audit).issue(staff.username, 'test');
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).jpeg().toBuffer();
    tipId = (
      await service.tips.submit(
        { category: 'trade', where: 'Ngõ 12 Lê Lợi', when: 'tối qua', what: 'Bán ma túy ở quán nước đầu ngõ' },
        { kind: 'web', address: randomBytes(8).toString('hex'), locale: 'vi' },
        [jpeg],
      )
    ).id;
    const app = service.app as unknown as { router: { stack: StackLayer[] } };
    endpoints = endpointsOf(app.router.stack).filter((e) => POLICE_PREFIXES.some((prefix) => e.path.startsWith(prefix)));

    browser = await launchChromium();
    context = await browser.newContext({ baseURL: service.baseUrl });
    page = await context.newPage();
    await signInThroughPages(page, staff);
    t = await consoleText();
  }, BROWSER_TIMEOUTS.setUp);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await service?.stop();
  });

  it('finds the police pages and the tip API in the running app', () => {
    const listed = endpoints.map((e) => `${e.method} ${e.path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        `GET ${TIPS_PATH}`,
        `GET ${TIPS_PATH}/:id`,
        `GET ${TIPS_PATH}/:id/photos/:n`,
        `POST ${TIPS_PATH}/:id/claim`,
        `POST ${TIPS_PATH}/:id/replies`,
        `GET ${API_BASE}/tips/`,
        `GET ${API_BASE}/tips/:id/photos/:n`,
        `POST ${API_BASE}/tips/:id/status`,
        `POST ${API_BASE}/tips/:id/notes`,
      ]),
    );
  });

  it('shows a staff account a 403 page for every police page, and refuses every police form and API call with 403', async () => {
    const consoleEndpoints = endpoints.filter((e) => e.path.startsWith(TIPS_PATH));
    const apiEndpoints = endpoints.filter((e) => !e.path.startsWith(TIPS_PATH));
    for (const { path } of consoleEndpoints.filter((e) => e.method === 'GET')) {
      const response = await page.goto(`${concrete(path)}?lang=vi`);
      expect(response!.status(), path).toBe(403);
      expect(await page.getByRole('alert').textContent(), path).toBe(t('console:errors.forbidden'));
      expect(await page.content()).not.toContain('Ngõ 12 Lê Lợi');
    }

    // Forms are posted with the browser's own cookies and this session's CSRF token, as the console's pages would:
    // only the role is wrong. (The pages' CSP allows no script to fetch, so the context's request client posts.)
    await page.goto('/console?lang=vi');
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    for (const { path } of consoleEndpoints.filter((e) => e.method === 'POST')) {
      const answer = await page.request.post(concrete(path), { form: { ...FORM_BODY, csrf }, maxRedirects: 0 });
      expect(answer.status(), path).toBe(403);
      expect(await answer.text(), path).toContain(t('console:errors.forbidden'));
    }

    for (const { method, path } of apiEndpoints) {
      const answer = await page.request.fetch(concrete(path), {
        method,
        headers: { authorization: `Bearer ${token}` },
        ...(method === 'POST' ? { data: API_BODIES[path.split('/').at(-1)!] ?? {} } : {}),
      });
      expect(answer.status(), `${method} ${path}`).toBe(403);
      expect((await answer.json()).error.code, `${method} ${path}`).toBe('forbidden');
    }

    expect(await service.tips.deps.store.record(tipId)).toMatchObject({ status: 'new', priority: 'normal', messages: 0 });
    const { redis, prefix } = service.datastore;
    const trail = (await new AuditLog(redis, prefix).latest(1000)).filter((e) => e.subject === `tip:${tipId}`);
    expect(trail.map((e) => e.action)).toEqual(['tip.received']);
  }, BROWSER_TIMEOUTS.flow);
});
