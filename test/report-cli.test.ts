import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/audit-log.js';
import { Outbox } from '../src/channels/outbound/outbox.js';
import { GroupRegistry } from '../src/groups/group-registry.js';
import { loadConfig } from '../src/platform/config.js';
import { loadKeyring } from '../src/platform/crypto/keyring.js';
import { SealedBox } from '../src/platform/crypto/sealed-box.js';
import { createTranslator } from '../src/platform/i18n.js';
import { Datastore } from '../src/platform/redis/datastore.js';
import { wallClock } from '../src/platform/time-zone.js';
import { assembleTips } from '../src/tips/assemble.js';
import { runCli, RUNS_CLI } from './support/cli.js';
import { deleteKeys, silentLogger, testPrefix, testRedisUrl } from './support/redis.js';

const DAY_MS = 24 * 3600 * 1000;
const police = { name: 'cs.hung', role: 'police' } as const;
const secretText = `Tin bí mật ${randomBytes(6).toString('hex')}: kho hàng sau chợ`;
let env: NodeJS.ProcessEnv;
let store: Datastore;
let code: string;
let dir: string;
let period: string[];

beforeAll(async () => {
  env = {
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: testPrefix(),
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    HMAC_SECRET: randomBytes(32).toString('base64'),
    DEFAULT_LOCALE: 'en',
    LOG_LEVEL: 'error',
    WARD_NAME: 'phường Lê Chân',
  };
  const config = loadConfig(env);
  store = await Datastore.open(config, silentLogger());
  const box = new SealedBox(loadKeyring(config.secrets, silentLogger()));
  const outbox = new Outbox(store.redis, store.prefix, box, store.connect('worker'));
  const audit = new AuditLog(store.redis, store.prefix);
  const tips = assembleTips({ datastore: store, box, audit, outbox, translator: await createTranslator('vi') });
  const groups = new GroupRegistry(store.redis, store.prefix, audit);
  const group = await groups.register({ platform: 'telegram', chatId: '-100777', name: 'Tổ dân phố số 5', tags: [] }, 'test');
  await groups.approve(group.id, 'test');
  const submitted = await tips.submit({ category: 'trade', what: secretText, where: 'chợ' }, { kind: 'web', address: '203.0.113.9', locale: 'vi' });
  code = submitted.code;
  await tips.claim(submitted.id, police);
  await tips.close();
  await outbox.close();
  // A day either side of today on the ward's clock, so that a run across midnight still covers the tip.
  period = [-1, 1].map((days) => wallClock(new Date(Date.now() + days * DAY_MS), config.timeZone).date);
  dir = await mkdtemp(join(tmpdir(), 'loaphuong-report-'));
});

afterAll(async () => {
  await deleteKeys(store.redis, store.prefix);
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const report = (...args: string[]) => runCli(['report', '--from', period[0]!, '--to', period[1]!, ...args], env);

/** What no report may contain: the tip's text and the receipt code of a tip that is still open. */
function expectNothingSecret(output: string): void {
  expect(output).not.toContain(secretText);
  expect(output).not.toContain('bí mật');
  expect(output).not.toContain(code);
  expect(output).not.toContain(code.replaceAll('-', ''));
  expect(output).not.toContain('-100777');
}

describe('loaphuong report', RUNS_CLI, () => {
  it('prints Markdown in the language asked for', async () => {
    const result = await report('--lang', 'en');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\n# REPORT\n');
    expect(result.stdout).toContain('| Drug dealing | 1 |');
    expect(result.stdout).toContain('| Tổ dân phố số 5 | Telegram | 0 | 0 | 0 | 0 | 0 |');
    expect(result.stdout).toContain('| Groups awaiting approval | 0 |');
    expectNothingSecret(result.stdout);
  });

  it('writes the printable page to a file, in the ward’s language by default', async () => {
    const file = join(dir, 'html', 'bao-cao.html');
    const result = await runCli(['report', '--from', period[0]!, '--to', period[1]!, '--format', 'html', '--out', file], { ...env, DEFAULT_LOCALE: 'vi' });
    expect(result).toEqual({ code: 0, stdout: `Đã ghi báo cáo ${period[0]} – ${period[1]}: ${file}\n`, stderr: '' });
    const page = await readFile(file, 'utf8');
    expect(page).toContain('<p class="strong">PHƯỜNG LÊ CHÂN</p>');
    for (const heading of ['<h2>I. ', '<h2>II. ', '<h2>III. ']) expect(page).toContain(heading);
    expect(page.match(/<table class="figures"/g)).toHaveLength(8);
    expectNothingSecret(page);
  });

  it('writes one CSV file per table into a folder, or prints them one after another', async () => {
    const folder = join(dir, 'csv');
    const written = await report('--format', 'csv', '--out', folder);
    expect(written.stderr).toBe('');
    const files = (await readdir(folder)).sort();
    expect(files).toHaveLength(8);
    expect(written.stdout.trim().split('\n').sort()).toEqual(files.map((f) => `Report ${period[0]} – ${period[1]} written: ${join(folder, f)}`).sort());
    const byCategory = await readFile(join(folder, `loaphuong-report-${period[0]}-${period[1]}-tips-by-category.csv`), 'utf8');
    expect(byCategory).toBe('\uFEFFCategory,Tip-offs\r\nDrug dealing,1\r\nPlaces where drugs are used,0\r\nDrugs sold online,0\r\n"Drugs disguised as food, drinks or e-cigarettes",0\r\nOther,0\r\nTotal,1\r\n');
    for (const file of files) {
      const content = await readFile(join(folder, file), 'utf8');
      expect(content.startsWith('\uFEFF')).toBe(true);
      // Every record: fields either bare (no comma, quote or line break) or quoted with doubled quotes.
      for (const line of content.slice(1).split('\r\n').slice(0, -1)) expect(line, file).toMatch(/^(?:[^",\r\n]*|"(?:[^"]|"")*")(?:,(?:[^",\r\n]*|"(?:[^"]|"")*"))*$/);
      expectNothingSecret(content);
    }

    const printed = await report('--format', 'csv');
    expect(printed.code).toBe(0);
    expect(printed.stdout).not.toContain('\uFEFF');
    expect(printed.stdout.match(/^# loaphuong-report-.+\.csv$/gm)?.sort()).toEqual(files.map((f) => `# ${f}`));
    expect(printed.stdout).toContain(`# loaphuong-report-${period[0]}-${period[1]}-tips-by-category.csv\n${byCategory.slice(1)}\n`);
  });

  it('refuses half a period, naming what to fix', async () => {
    expect(await runCli(['report', '--from', '2026-06-01'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: The report was not made; check these:\nError: --to: expected a real day as YYYY-MM-DD, not before --from, together with --from\n',
    });
  });
});
