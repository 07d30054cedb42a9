import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Role } from '../../src/accounts/schemas.js';
import { UserStore } from '../../src/accounts/user-store.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { newTotpSecret, totpCode, totpStep } from '../../src/console/auth/totp.js';
import { loadKeyring } from '../../src/platform/crypto/keyring.js';
import { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { createTranslator, type TFunction } from '../../src/platform/i18n.js';
import { ZaloBotFake } from '../fakes/zalo-bot-fake.js';
import { silentLogger } from './redis.js';
import { startTestService, type TestService } from './service.js';

/** Debian's Chromium; `.ci/run` installs it. Playwright's own browser download does not work on a closed network. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Without the background-networking flags, Chromium keeps trying Google's hosts, which a closed network refuses. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Guards against hangs, not speed targets: Chromium, the service and password hashing share two loaded cores. */
export const BROWSER_TIMEOUTS = { setUp: 60_000, flow: 90_000 } as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * A describe block whose tests drive Chromium. Without Chromium it cannot run: in CI (CI set) that fails, since the
 * CI script installs it; on a developer's machine the block is skipped and the reporter shows why.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM_PATH} is missing: install Debian's chromium package (bash .ci/run does) to run the browser tests`;
  describe(name, () => {
    it('runs in headless Chromium', (ctx) => {
      if (process.env.CI) throw new Error(reason);
      // The skip note only shows in the verbose reporter; the warning shows in every one.
      console.warn(`skipped: ${reason}`);
      ctx.skip(reason);
    });
  });
}

let vietnamese: Promise<TFunction> | undefined;

/** The console's own Vietnamese wording, so tests find buttons and labels by what a user reads. */
export function consoleText(): Promise<TFunction> {
  vietnamese ??= createTranslator('vi').then((translator) => translator.t('vi'));
  return vietnamese;
}

export interface ConsoleAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  /** The enrolled TOTP secret, as the user's authenticator app holds it. */
  secret?: Buffer;
}

/** A console account with a unique username and, when asked (police and admin must), an enrolled second factor. */
export async function addConsoleAccount(service: TestService, stem: string, role: Role, options: { totp?: boolean; displayName?: string } = {}): Promise<ConsoleAccount> {
  const { redis, prefix } = service.datastore;
  const box = new SealedBox(loadKeyring(service.config.secrets, silentLogger()));
  const users = new UserStore(redis, prefix, new AuditLog(redis, prefix), undefined, box);
  const account: ConsoleAccount = {
    username: `${stem}-${randomBytes(3).toString('hex')}`,
    displayName: options.displayName ?? stem,
    role,
    password: 'một mật khẩu đủ dài cho thử nghiệm',
  };
  await users.add({ username: account.username, displayName: account.displayName, role, password: account.password }, 'test');
  if (options.totp) {
    account.secret = newTotpSecret();
    await users.setTotpSecret(account.username, account.secret, 'test');
  }
  return account;
}

/** The code the account's authenticator app shows now. */
export function currentCode(account: ConsoleAccount): string {
  if (!account.secret) throw new Error(`${account.username} has no second factor`);
  return totpCode(account.secret, totpStep(new Date()));
}

/** Signs in through the pages as a person would: the password form, the code form when enrolled, then the home page. */
export async function signInThroughPages(page: Page, account: ConsoleAccount): Promise<void> {
  const t = await consoleText();
  await page.goto('/console/login?lang=vi');
  await page.getByLabel(t('console:login.username')).fill(account.username);
  await page.getByLabel(t('console:login.password')).fill(account.password);
  await page.getByRole('button', { name: t('console:login.submit') }).click();
  if (account.secret) {
    const code = page.getByLabel(t('console:code.label'));
    await code.waitFor();
    await code.fill(currentCode(account));
    await page.getByRole('button', { name: t('console:code.submit') }).click();
  }
  await page.waitForURL((url) => url.pathname === '/console');
}

/** A running service wired to a fake Zalo Bot, Chromium, and the console's Vietnamese wording. */
export interface ZaloConsoleRig {
  fake: ZaloBotFake;
  service: TestService;
  browser: Browser;
  t: TFunction;
  /** A page in a browser context of its own, so each person signed in keeps their own cookies. */
  newPage(): Promise<Page>;
}

/**
 * Starts, before the block's tests, a fake Zalo Bot, the service pointed at it (plus `env`) and Chromium, and stops
 * them all after. The rig's fields are filled in once the block's beforeAll has run.
 */
export function zaloConsoleInBrowser(zalo: { token: string; webhookSecret: string }, env: NodeJS.ProcessEnv = {}): ZaloConsoleRig {
  const contexts: BrowserContext[] = [];
  const rig = {
    async newPage() {
      const context = await rig.browser.newContext({ baseURL: rig.service.baseUrl });
      contexts.push(context);
      return context.newPage();
    },
  } as ZaloConsoleRig;

  beforeAll(async () => {
    rig.fake = new ZaloBotFake({ token: zalo.token });
    rig.service = await startTestService({ ...env, ZALO_BOT_TOKEN: zalo.token, ZALO_BOT_WEBHOOK_SECRET: zalo.webhookSecret, ZALO_BOT_API_BASE: await rig.fake.start() });
    rig.browser = await launchChromium();
    rig.t = await consoleText();
  }, BROWSER_TIMEOUTS.setUp);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await rig.browser?.close();
    await rig.service?.stop();
    await rig.fake?.close();
  });

  return rig;
}
