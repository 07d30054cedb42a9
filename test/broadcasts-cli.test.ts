import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../src/accounts/actor.js';
import { UserStore } from '../src/accounts/user-store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import type { Broadcasts } from '../src/broadcasts/broadcasts.js';
import type { NewSchedule } from '../src/broadcasts/schemas.js';
import { withBroadcasts } from '../src/cli/broadcast-session.js';
import { GroupRegistry } from '../src/groups/group-registry.js';
import type { Group } from '../src/groups/schemas.js';
import { createTranslator, type TFunction } from '../src/platform/i18n.js';
import { type CliResult, runCli, RUNS_CLI } from './support/cli.js';
import { deleteKeys, testPrefix, testRedis, testRedisUrl } from './support/redis.js';

const redis = testRedis();
const secrets = { ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, HMAC_SECRET: randomBytes(32).toString('base64') };
let prefix: string;
let env: NodeJS.ProcessEnv;
let zalo: Group;
let telegram: Group;
let pending: Group;
let contentDir: string;
let t: TFunction;

const cli = (...args: string[]): Promise<CliResult> => runCli(['broadcasts', ...args], env);
const createdId = (result: CliResult): string => {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return /^Created (b-[0-9a-f]{10}) \(draft\)\./.exec(result.stdout)![1]!;
};
const MESSAGE = ['--message', 'ma-tuy-tong-hop-la-gi-01'];
const NOT_SAVED = 'Error: The broadcast was not saved; fix these and try again:\n';
const LAN: Actor = { name: 'lan', role: 'staff' };
const MINH: Actor = { name: 'minh', role: 'approver' };

/** The module the CLI builds, in this process: to set up what a test reads without a process per step. */
function inProcess(run: (broadcasts: Broadcasts) => Promise<void>): Promise<void> {
  return withBroadcasts({ t, env, cwd: tmpdir(), out: () => undefined }, undefined, ({ broadcasts }) => run(broadcasts));
}

/** A draft one-off of a library message to every approved group, unless `input` says otherwise. */
async function draft(by: Actor, input: Partial<NewSchedule>): Promise<string> {
  let id = '';
  await inProcess(async (broadcasts) => {
    const content = { kind: 'message', campaign: '2026-thang-hanh-dong', message: 'ma-tuy-tong-hop-la-gi-01' } as const;
    const schedule = await broadcasts.create({ title: 'Bản tin', timing: { kind: 'once', at: '2027-03-02 07:00' }, target: { kind: 'all' }, content, ...input }, by);
    id = schedule!.id;
  });
  return id;
}

/** A campaign a year ahead, so that its calendar can still be imported: the shipped ones are dated June 2026. */
async function futureCampaign(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loaphuong-broadcasts-cli-'));
  const campaign = join(dir, '2027-thu-nghiem');
  await mkdir(join(campaign, 'messages'), { recursive: true });
  const localised = (vi: string, en: string) => `{ vi: "${vi}", en: "${en}" }`;
  await writeFile(
    join(campaign, 'campaign.yaml'),
    [
      'id: 2027-thu-nghiem',
      `organisation: ${localised('Ủy ban nhân dân phường', "Ward People's Committee")}`,
      `name: ${localised('Chiến dịch thử nghiệm 2027', 'Trial campaign 2027')}`,
      `theme: ${localised('Phường không ma túy', 'A drug-free ward')}`,
      'period: { from: 2027-06-01, to: 2027-06-30 }',
      'timezone: Asia/Ho_Chi_Minh',
      'audiences: [residents]',
      'key_dates: []',
      'milestones: []',
      `source: ${localised('Kế hoạch thử nghiệm', 'Trial plan')}`,
    ].join('\n'),
  );
  await writeFile(
    join(campaign, 'calendar.yaml'),
    'default_time: "07:30"\nentries:\n  - date: 2027-06-01\n    message: loi-nhac-mot\n  - date: 2027-06-02\n    at: "19:30"\n    message: loi-nhac-hai\nweekly:\n  - weekday: monday\n    at: "19:00"\n    message: loi-nhac-mot\n',
  );
  for (const id of ['mot', 'hai']) {
    await writeFile(
      join(campaign, 'messages', `loi-nhac-${id}.md`),
      `---\nid: loi-nhac-${id}\ntopic: reporting\naudience: [residents]\ntags: []\nsources:\n  - title: "Kế hoạch thử nghiệm"\n---\n## vi\nLời nhắc ${id}: hãy báo cho công an phường.\n\n## en\nReminder ${id}: tell the ward police.\n`,
    );
  }
  return dir;
}

beforeAll(async () => {
  contentDir = await futureCampaign();
  t = (await createTranslator('en')).t('en');
});

afterAll(async () => {
  await rm(contentDir, { recursive: true, force: true });
  await redis.quit();
});

beforeEach(async () => {
  prefix = testPrefix();
  env = { REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, DEFAULT_LOCALE: 'en', LOG_LEVEL: 'error', ...secrets };
  const audit = new AuditLog(redis, prefix);
  const groups = new GroupRegistry(redis, prefix, audit);
  const group = (platform: Group['platform'], n: number) => groups.register({ platform, chatId: `chat-${n}`, name: `Tổ dân phố số ${n}`, tags: [`tdp-${n}`] }, 'test');
  [zalo, telegram, pending] = await Promise.all([group('zalo', 5), group('telegram', 6), group('zalo', 7)]);
  await Promise.all([groups.approve(zalo.id, 'test'), groups.approve(telegram.id, 'test')]);
  const users = new UserStore(redis, prefix, audit);
  const password = 'a long test password';
  const people = [['lan', 'staff'], ['minh', 'approver'], ['hoa', 'approver'], ['quan', 'admin'], ['hung', 'police']] as const;
  await Promise.all(people.map(([username, role]) => users.add({ username, role, displayName: username, password }, 'test')));
  await users.disable('hoa', 'test');
});

afterEach(async () => {
  await deleteKeys(redis, prefix);
});

describe('loaphuong broadcasts', RUNS_CLI, () => {
  it('creates one-offs and recurring broadcasts from library messages, rotations and written text', async () => {
    const [message, rotation, text, platform] = await Promise.all([
      cli('create', '--title', 'Ma túy tổng hợp', '--at', '2027-03-02 07:00', ...MESSAGE, '--as', 'lan'),
      cli('create', '--title', 'Xoay vòng', '--cron', '0 7 * * 1', '--from', '2027-01-01 00:00', '--until', '2027-02-01 00:00', '--rotation', '2026-thang-hanh-dong:synthetic-drugs', '--tags', 'tdp-5'),
      cli('create', '--title', 'Họp tổ', '--at', '2027-03-02T22:30:00+07:00', '--text', 'Họp tổ dân phố lúc 22:30.', '--text-en', 'Meeting at 22:30.', '--groups', zalo.id, '--urgent'),
      cli('create', '--title', 'Tố giác', '--at', '2027-03-03 08:00', '--message', 'kkt-to-giac', '--campaign', '2026-kkt-hai-phong', '--platform', 'zalo'),
    ]);
    const ids = [message, rotation, text, platform].map(createdId);
    expect(message.stdout).toBe(
      `Created ${ids[0]} (draft). An approver releases it with: loaphuong broadcasts approve ${ids[0]} --as <approver>\nNext times: 2027-03-02 07:00\n`,
    );
    expect(rotation.stdout).toContain('Next times: 2027-01-04 07:00, 2027-01-11 07:00, 2027-01-18 07:00, 2027-01-25 07:00\n');
    expect(text.stdout).toContain('Next times: 2027-03-02 22:30\n');

    const [list, approved] = await Promise.all([cli('list'), cli('list', '--status', 'approved')]);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+WHEN\s+TO\s+TITLE$/);
    expect(lines).toHaveLength(5);
    const row = (id: string, rest: string) => expect(lines.find((l) => l.startsWith(id))).toMatch(new RegExp(`^${id}\\s+draft\\s+${rest}$`));
    row(ids[0]!, 'once at 2027-03-02 07:00\\s+all approved groups\\s+Ma túy tổng hợp');
    row(ids[1]!, 'repeats “0 7 \\* \\* 1” from 2027-01-01 00:00 until 2027-02-01 00:00\\s+tags tdp-5\\s+Xoay vòng');
    row(ids[2]!, `once at 2027-03-02 22:30\\s+groups ${zalo.id}\\s+Họp tổ`);
    row(ids[3]!, 'once at 2027-03-03 08:00\\s+all on zalo\\s+Tố giác');
    expect(approved.stdout).toBe('No broadcasts yet.\n');

    await inProcess(async (broadcasts) => {
      const [byLan, byOperator, written] = await Promise.all(ids.slice(0, 3).map((id) => broadcasts.get(id, LAN)));
      expect([byLan!.createdBy, byOperator!.createdBy]).toEqual(['lan', 'cli:tester']);
      expect(written).toMatchObject({
        urgent: true,
        timing: { kind: 'once', at: '2027-03-02T15:30:00.000Z' },
        content: { kind: 'text', text: { vi: 'Họp tổ dân phố lúc 22:30.', en: 'Meeting at 22:30.' } },
      });
    });
  });

  it('refuses bad input with the precise problems and stores nothing', async () => {
    const create = (...args: string[]) => cli('create', '--title', 'Sai', ...args);
    const results = await Promise.all([
      create('--cron', '0 7 * *', '--groups', `${zalo.id},g-khongco`, '--message', 'khong-co', '--campaign', '2026-thang-hanh-dong'),
      create('--at', '2026-06-26 07:00', '--tags', 'khong-ai', ...MESSAGE),
      create('--at', '2027-03-02 22:30', '--text', 'x'.repeat(2001), '--platform', 'zalo'),
      create('--at', '2027-03-02 07:00', '--cron', '0 7 * * 1', ...MESSAGE),
      create('--at', '2027-03-02 07:00', '--message', 'khong-co'),
      create('--at', '2027-03-02 07:00', ...MESSAGE, '--as', 'nobody'),
      create('--at', '2027-03-02 07:00', ...MESSAGE, '--as', 'hoa'),
      create('--at', '2027-03-02 07:00', ...MESSAGE, '--as', 'hung'),
    ]);
    expect(results.map((r) => r.stderr)).toEqual([
      `${NOT_SAVED}Error: timing.pattern: “0 7 * *” must have five fields: minute hour day-of-month month day-of-week (e.g. 0 7 * * 1).\n` +
        'Error: target.ids: No such groups: g-khongco.\nError: content.message: Campaign 2026-thang-hanh-dong has no message khong-co.\n',
      `${NOT_SAVED}Error: timing.at: 2026-06-26 07:00 has already passed.\nError: target: No approved group matches this target, so nobody would receive it.\n`,
      `${NOT_SAVED}Error: timing.at: 2027-03-02 22:30 is in the quiet hours (21:00–06:30); pick another time or mark the broadcast urgent.\n` +
        'Error: content.text.vi: The text is 2001 characters; zalo allows 2000 in one message.\n' +
        'Error: content.text.en: The text is 2001 characters; zalo allows 2000 in one message.\n',
      'Error: Give exactly one of --at, --cron.\n',
      'Error: No campaign in the content library has a message khong-co.\n',
      'Error: There is no account named nobody.\n',
      'Error: The account hoa is disabled.\n',
      'Error: A user with the role police may not change broadcasts.\n',
    ]);
    expect(results.map((r) => [r.code, r.stdout])).toEqual(results.map(() => [1, '']));

    const [list, badStatus] = await Promise.all([cli('list'), cli('list', '--status', 'sent')]);
    expect(list.stdout).toBe('No broadcasts yet.\n');
    expect(badStatus.stderr).toBe('Error: --status: draft, approved, paused, cancelled, finished\n');
  });

  it('lets only an approver who did not write a draft approve it', async () => {
    const [lan, minh] = await Promise.all([draft(LAN, { title: 'Của Lan' }), draft(MINH, { title: 'Của Minh' })]);

    const [noApprover, staff, admin] = await Promise.all([cli('approve', lan), cli('approve', lan, '--as', 'lan'), cli('approve', lan, '--as', 'quan')]);
    expect(noApprover.code).toBe(1);
    expect(noApprover.stderr).toContain("required option '--as <username>' not specified");
    expect([staff.stdout, staff.stderr, staff.code]).toEqual([`${lan}: A user with the role staff may not approve broadcasts.\n`, 'Error: 1 of 1 could not be approved.\n', 1]);
    expect(admin.stdout).toBe(`${lan}: A user with the role admin may not approve broadcasts.\n`);

    const approved = await cli('approve', lan, minh, '--as', 'minh');
    expect(approved.stdout).toBe(`${lan}: approved.\n${minh}: Broadcast ${minh} was written by you; another approver must approve it.\n`);
    expect([approved.stderr, approved.code]).toEqual(['Error: 1 of 2 could not be approved.\n', 1]);
    const show = await cli('show', lan);
    expect(show.stdout).toMatch(/^Status\s+approved$/m);
    expect(show.stdout).toMatch(/^Created\s+\d{4}-\d\d-\d\d \d\d:\d\d by lan$/m);
    expect(show.stdout).toMatch(/^Approved\s+\d{4}-\d\d-\d\d \d\d:\d\d by minh$/m);
  });

  it('pauses, resumes and cancels a broadcast, and refuses what its status does not allow', async () => {
    const id = await draft(LAN, {});
    const early = await cli('pause', id);
    expect(early.stderr).toBe(`Error: Broadcast ${id} is draft, so it cannot be given “pause”.\n`);
    await inProcess(async (broadcasts) => void (await broadcasts.approve(id, MINH)));

    expect((await cli('pause', id, '--as', 'lan')).stdout).toBe(`${id}: paused.\n`);
    expect((await cli('resume', id)).stdout).toBe(`${id}: approved.\n`);
    expect((await cli('cancel', id)).stdout).toBe(`${id}: cancelled.\n`);
    const [again, status] = await Promise.all([cli('resume', id), cli('status', id)]);
    expect(again.stderr).toBe(`Error: Broadcast ${id} is cancelled, so it cannot be given “resume”.\n`);
    expect(status.stdout).toBe(`${id}: cancelled — Bản tin\nNext times: none\nNo occurrences yet.\n`);
  });

  it('imports a campaign calendar once and approves the drafts by their origin', async () => {
    const future = { ...env, CONTENT_DIR: contentDir };
    const imported = await runCli(['broadcasts', 'import-calendar', '2027-thu-nghiem', '--as', 'lan'], future);
    expect(imported.stdout).toBe(
      [
        'Created: 3',
        '  2027-thu-nghiem.20270601-0730.loi-nhac-mot  once at 2027-06-01 07:30',
        '  2027-thu-nghiem.20270602-1930.loi-nhac-hai  once at 2027-06-02 19:30',
        '  2027-thu-nghiem.weekly-monday-1900.loi-nhac-mot  repeats “0 19 * * 1” from 2027-06-01 00:00 until 2027-06-30 23:59',
        'Already there: 0',
        'Already past: 0',
        'Rejected: 0',
        'An approver releases them with: loaphuong broadcasts approve --origin calendar:2027-thu-nghiem --as <approver>',
        '',
      ].join('\n'),
    );

    const [again, nobody, unknown, shipped] = await Promise.all([
      runCli(['broadcasts', 'import-calendar', '2027-thu-nghiem'], future),
      runCli(['broadcasts', 'import-calendar', '2027-thu-nghiem', '--tags', 'khong-ai'], future),
      runCli(['broadcasts', 'import-calendar', 'khong-co'], future),
      cli('import-calendar', '2026-thang-hanh-dong'),
    ]);
    expect(again.stdout).toBe('Created: 0\nAlready there: 3\nAlready past: 0\nRejected: 0\n');
    expect(nobody.stdout).toContain('Rejected: 3\n  2027-thu-nghiem.20270601-0730.loi-nhac-mot\n    target: No approved group matches this target, so nobody would receive it.\n');
    expect([nobody.stderr, nobody.code]).toEqual(['Error: 3 calendar entries could not be made into broadcasts; see above.\n', 1]);
    expect(unknown.stderr).toBe('Error: There is no campaign khong-co in the content library.\n');
    expect(shipped.stdout).toMatch(/^Created: 0\nAlready there: 0\nAlready past: \d{2}\nRejected: 0\n$/);

    const approve = await runCli(['broadcasts', 'approve', '--origin', 'calendar:2027-thu-nghiem', '--as', 'minh'], future);
    expect(approve.stdout).toBe(
      '2027-thu-nghiem.20270601-0730.loi-nhac-mot: approved.\n2027-thu-nghiem.20270602-1930.loi-nhac-hai: approved.\n2027-thu-nghiem.weekly-monday-1900.loi-nhac-mot: approved.\n',
    );
    const [none, list] = await Promise.all([
      runCli(['broadcasts', 'approve', '--origin', 'calendar:2027-thu-nghiem', '--as', 'minh'], future),
      runCli(['broadcasts', 'list', '--status', 'approved'], future),
    ]);
    expect(none.stderr).toBe('Error: There is no draft from calendar:2027-thu-nghiem.\n');
    expect(list.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('shows, previews and dry-runs a broadcast without sending anything', async () => {
    const [id, rotation] = await Promise.all([
      draft(LAN, { title: 'Ma túy tổng hợp', target: { kind: 'groups', ids: [zalo.id, pending.id] } }),
      draft(LAN, { timing: { kind: 'cron', pattern: '0 7 * * 1' }, content: { kind: 'rotation', campaign: '2026-thang-hanh-dong', topic: 'synthetic-drugs' } }),
    ]);

    const [show, preview, dryRun, quiet, badTime, rotationPreview, rotationDryRun] = await Promise.all([
      cli('show', id),
      cli('preview', id),
      cli('dry-run', id),
      cli('dry-run', id, '--at', '2027-03-02 23:00'),
      cli('dry-run', id, '--at', 'tomorrow'),
      cli('preview', rotation),
      cli('dry-run', rotation),
    ]);
    expect(show.stdout).toMatch(new RegExp(`^ID\\s+${id}\\nTitle\\s+Ma túy tổng hợp\\nStatus\\s+draft\\nWhen\\s+once at 2027-03-02 07:00\\nTo\\s+groups ${zalo.id},${pending.id}\\n`));
    expect(show.stdout).toMatch(/^Content\s+message ma-tuy-tong-hop-la-gi-01 \(2026-thang-hanh-dong\)\nUrgent\s+no\n/m);
    expect(show.stdout).toMatch(/^Next times\s+2027-03-02 07:00\n\nText as it will be sent:\n── ma-tuy-tong-hop-la-gi-01 · vi · zalo ──\nMa túy tổng hợp là gì\?/m);
    expect(preview.stdout).toMatch(/^── ma-tuy-tong-hop-la-gi-01 · vi · zalo ──\nMa túy tổng hợp là gì\?.*\n[^]*── ma-tuy-tong-hop-la-gi-01 · en · zalo ──\nWhat are synthetic drugs\?/);
    expect(preview.stdout).not.toContain('telegram');

    const rows = dryRun.stdout.trim().split('\n');
    expect(rows[0]).toBe('Occurrence at 2027-03-02 07:00:');
    expect(rows[1]).toMatch(/^GROUP\s+NAME\s+PLATFORM\s+SENDS\s+NOT SENT BECAUSE$/);
    expect(rows[2]).toMatch(new RegExp(`^${zalo.id}\\s+Tổ dân phố số 5\\s+zalo\\s+ma-tuy-tong-hop-la-gi-01$`));
    expect(rows[3]).toMatch(new RegExp(`^${pending.id}\\s+the group is not approved yet$`));
    expect(quiet.stdout).toContain('Occurrence at 2027-03-02 23:00:\nNothing would go out: quiet hours.\n');
    expect(badTime.stderr).toBe('Error: “tomorrow” is not a time; write it as 2026-06-26 07:00 (ward time) or as an ISO time with its offset.\n');

    expect(rotationPreview.stdout).toContain('── ma-tuy-tong-hop-la-gi-01 · en · telegram ──\nWhat are synthetic drugs?');
    expect(rotationPreview.stdout).toContain('── ma-tuy-tong-hop-tam-than-02 · vi · zalo ──');
    expect(rotationDryRun.stdout).toMatch(new RegExp(`^${zalo.id}\\s+Tổ dân phố số 5\\s+zalo\\s+ma-tuy-[a-z0-9-]+$`, 'm'));
    expect(rotationDryRun.stdout).toMatch(new RegExp(`^${telegram.id}\\s+Tổ dân phố số 6\\s+telegram\\s+ma-tuy-[a-z0-9-]+$`, 'm'));
  });

  it("reports an occurrence's outcome per group and sends its failures again", async () => {
    const id = await draft(LAN, { title: 'Gửi thử', target: { kind: 'groups', ids: [zalo.id, telegram.id, pending.id] } });
    const occurrence = `${id}.20270302-0700`;
    // What the worker does when the trigger fires, and a platform refusing the Zalo message.
    await inProcess(async (broadcasts) => {
      await broadcasts.approve(id, MINH);
      await broadcasts.fanOut(id, new Date('2027-03-02T00:00:00Z'));
      await broadcasts.deps.outbox.deliveries.finish(`${occurrence}.${zalo.id}`, 'failed', 'blocked by the platform');
    });

    const [status, groups, missing, oneGroup] = await Promise.all([
      cli('status', id),
      cli('status', id, '--occurrence', occurrence),
      cli('status', id, '--occurrence', `${id}.20270303-0700`),
      cli('retry', occurrence, '--group', telegram.id),
    ]);
    const lines = status.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual([`${id}: finished — Gửi thử`, 'Next times: none']);
    expect(lines[2]).toMatch(/^OCCURRENCE\s+AT\s+STATUS\s+TARGETED\s+SENT\s+FAILED\s+SKIPPED\s+UNKNOWN\s+PENDING$/);
    expect(lines[3]).toMatch(new RegExp(`^${occurrence.replace(/\./g, '\\.')}\\s+2027-03-02 07:00\\s+done\\s+3\\s+0\\s+1\\s+1\\s+0\\s+1$`));

    const rows = groups.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^GROUP\s+MESSAGE\s+STATUS\s+REASON$/);
    expect(rows).toHaveLength(4);
    const row = (group: Group) => rows.find((r) => r.startsWith(group.id));
    expect(row(zalo)).toMatch(/\s+ma-tuy-tong-hop-la-gi-01\s+failed\s+blocked by the platform$/);
    expect(row(telegram)).toMatch(/\s+ma-tuy-tong-hop-la-gi-01\s+queued$/);
    expect(row(pending)).toMatch(/^g-[0-9a-f]{10}\s+skipped\s+the group is not approved yet$/);
    expect(missing.stderr).toBe(`Error: There is no occurrence ${id}.20270303-0700.\n`);
    expect(oneGroup.stdout).toBe('Queued again: 0.\n');
    expect((await cli('retry', occurrence)).stdout).toBe('Queued again: 1.\n');
  });

  it('prints help in the operator language and refuses an approve with nothing to choose by', async () => {
    const [vi, en, both] = await Promise.all([
      runCli(['broadcasts', '--help'], {}),
      runCli(['broadcasts', 'create', '--help'], { DEFAULT_LOCALE: 'en' }),
      runCli(['broadcasts', 'approve', 'b-1234567890', '--origin', 'calendar:x', '--as', 'minh'], { DEFAULT_LOCALE: 'en' }),
    ]);
    expect(vi.stdout).toContain('lên lịch, duyệt và theo dõi bản tin');
    expect(vi.stdout).toMatch(/import-calendar \[options\] <campaignId>\s+tạo bản nháp từ lịch của một chiến dịch/);
    expect(en.stdout).toMatch(/^Usage: loaphuong broadcasts create \[options\]/);
    expect(en.stdout).toContain('--rotation <campaign:topic>');
    expect(en.stdout).toContain('act as this account, with its role');
    // Checked before anything is opened, so it needs no Redis.
    expect(both.stderr).toBe('Error: Give either broadcast ids or --origin.\n');
  });
});
