import { rm } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_CALENDAR, SMALL_CAMPAIGN, SMALL_LIBRARY, smallAnswer, smallMessage, writeContentFolder } from '../../test/support/content-library.js';
import { createTranslator, type TFunction } from '../platform/i18n.js';
import { shippedContentDir } from '../platform/paths.js';
import { loadLibrary } from './load-library.js';

let t: TFunction;
const dirs: string[] = [];

beforeAll(async () => {
  t = (await createTranslator('en')).t('en');
});

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes the small valid library, with some files replaced (or removed when given null). */
async function library(changes: Record<string, string | null> = {}): Promise<string> {
  const files = Object.fromEntries(Object.entries({ ...SMALL_LIBRARY, ...changes }).filter((entry): entry is [string, string] => entry[1] !== null));
  const dir = await writeContentFolder(files);
  dirs.push(dir);
  return dir;
}

async function problemsOf(changes: Record<string, string | null>) {
  return (await loadLibrary(await library(changes), { t })).problems;
}

const error = (file: string, line: number, message: string) => ({ file, line, severity: 'error', message: expect.stringContaining(message) });

describe('loadLibrary', () => {
  it('loads the shipped library without errors', async () => {
    const { library: shipped, problems } = await loadLibrary(shippedContentDir, { t });
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const messages = shipped.campaigns.flatMap((c) => c.messages);
    expect(shipped.campaigns.map((c) => c.campaign.id).sort()).toEqual(['2026-kkt-hai-phong', '2026-thang-hanh-dong']);
    expect(messages.length).toBeGreaterThanOrEqual(40);
    expect(shipped.qa.length).toBeGreaterThanOrEqual(30);
    for (const { messages: list, calendar } of shipped.campaigns) {
      const ids = new Set(list.map((m) => m.id));
      expect(calendar.entries.every((e) => ids.has(e.message))).toBe(true);
    }
  });

  it('loads a valid library into typed items with their texts', async () => {
    const { library: loaded, problems } = await loadLibrary(await library(), { t });
    expect(problems).toEqual([]);
    const [campaign] = loaded.campaigns;
    expect(campaign?.campaign.period).toEqual({ from: '2026-06-01', to: '2026-06-30' });
    expect(campaign?.messages.map((m) => m.id)).toEqual(['m-one', 'm-two']);
    expect(campaign?.messages[0]?.text).toEqual({ vi: 'Kính gửi bà con {{ward_name}}!', en: 'Dear residents of {{ward_name}}!' });
    expect(campaign?.calendar.entries).toEqual([
      { date: '2026-06-01', message: 'm-one' },
      { date: '2026-06-02', at: '19:30', message: 'm-two' },
    ]);
    expect(loaded.qa.map((q) => q.answer.en)).toEqual(['Type /togiac to send a tip.']);
  });

  it('reports a schema error at the line of the key and leaves the message out', async () => {
    const { library: loaded, problems } = await loadLibrary(await library({ 'c1/messages/m-one.md': smallMessage('m-one').replace('topic: campaign', 'topic: gossip') }), { t });
    expect(problems).toEqual([error('c1/messages/m-one.md', 3, 'topic: expected one of campaign, synthetic-drugs')]);
    expect(loaded.campaigns[0]?.messages.map((m) => m.id)).toEqual(['m-two']);
    // The calendar keeps only what can be sent.
    expect(loaded.campaigns[0]?.calendar.entries.map((e) => e.message)).toEqual(['m-two']);
  });

  it('reports unknown and missing keys', async () => {
    expect(await problemsOf({ 'c1/messages/m-one.md': smallMessage('m-one').replace('valid_from:', 'valid_form:') })).toEqual([
      error('c1/messages/m-one.md', 6, 'valid_form: unknown key'),
    ]);
    expect(await problemsOf({ 'qa/q-one.md': smallAnswer('q-one').replace('  en: ["How do I use the bot?", "What commands are there?"]\n', '') })).toEqual([
      error('qa/q-one.md', 4, 'questions.en: missing'),
    ]);
  });

  it('reports an id used by two files, at the second one', async () => {
    expect(await problemsOf({ 'qa/m-one.md': smallAnswer('m-one') })).toEqual([error('qa/m-one.md', 2, 'id m-one is already used by c1/messages/m-one.md')]);
  });

  it('reports an id that differs from the file name', async () => {
    expect(await problemsOf({ 'c1/messages/m-two.md': smallMessage('m-three') })).toEqual([error('c1/messages/m-two.md', 2, 'id m-three does not match the file name m-two')]);
  });

  it('reports a missing ## en section where the body starts', async () => {
    const text = smallMessage('m-one').replace('\n## en\nDear residents of {{ward_name}}!\n', '');
    expect(await problemsOf({ 'c1/messages/m-one.md': text })).toEqual([error('c1/messages/m-one.md', 10, 'missing section ## en')]);
  });

  it('reports a text that cannot fit the platform limit once placeholders are filled in', async () => {
    const long = (n: number) => smallMessage('m-one').replace('Dear residents of {{ward_name}}!', `${'x'.repeat(n)} {{tip_form_url}}`);
    expect(await problemsOf({ 'c1/messages/m-one.md': long(1950) })).toEqual([
      error('c1/messages/m-one.md', 13, 'the en text can reach 2051 characters with the longest placeholder values; the limit is 2000'),
    ]);
    expect(await problemsOf({ 'c1/messages/m-one.md': long(1450) })).toEqual([
      { file: 'c1/messages/m-one.md', line: 13, severity: 'warning', message: expect.stringContaining('1551 characters') },
    ]);
  });

  it('reports an unknown placeholder and unbalanced braces on their own line', async () => {
    const text = smallMessage('m-one').replace('bà con {{ward_name}}!', 'bà con, gọi {{phone}}.').replace('of {{ward_name}}!', 'of {{ward_name}!');
    expect(await problemsOf({ 'c1/messages/m-one.md': text })).toEqual([
      error('c1/messages/m-one.md', 11, 'unknown placeholder {{phone}}; allowed: ward_name, police_phone'),
      error('c1/messages/m-one.md', 14, 'unbalanced {{ or }}'),
    ]);
  });

  it('reports valid_from outside the campaign period', async () => {
    expect(await problemsOf({ 'c1/messages/m-one.md': smallMessage('m-one').replace('valid_from: 2026-06-01', 'valid_from: 2026-05-31') })).toEqual([
      error('c1/messages/m-one.md', 6, 'valid_from 2026-05-31 is outside the campaign period 2026-06-01 to 2026-06-30'),
    ]);
  });

  it('reports calendar entries with an unknown message, a late time or a date outside the period', async () => {
    const calendar = SMALL_CALENDAR.replace('message: m-one\n  - date', 'message: m-nine\n  - date').replace('"19:30"', '"22:00"');
    expect(await problemsOf({ 'c1/calendar.yaml': calendar })).toEqual([
      error('c1/calendar.yaml', 3, 'no message m-nine in campaign c1'),
      error('c1/calendar.yaml', 5, 'time 22:00 is outside the sending hours 06:30 to 21:00'),
    ]);
    expect(await problemsOf({ 'c1/calendar.yaml': SMALL_CALENDAR.replace('date: 2026-06-02', 'date: 2026-07-01') })).toEqual([
      error('c1/calendar.yaml', 5, 'date 2026-07-01 is outside the campaign period 2026-06-01 to 2026-06-30'),
    ]);
  });

  it('reports a calendar entry before its message becomes valid, and a weekly item that would never go out', async () => {
    const late = smallMessage('m-one').replace('valid_from: 2026-06-01', 'valid_from: 2026-06-02\nvalid_to: 2026-06-07');
    expect(await problemsOf({ 'c1/messages/m-one.md': late })).toEqual([
      error('c1/calendar.yaml', 3, 'message m-one cannot be sent on 2026-06-01: it is valid from 2026-06-02 to 2026-06-07'),
      error('c1/calendar.yaml', 9, 'message m-one is valid on no monday between 2026-06-01 and 2026-06-30'),
    ]);
  });

  it('reports YAML that does not parse at its line in the file and goes on with the rest', async () => {
    const { library: loaded, problems } = await loadLibrary(
      await library({ 'c1/messages/m-one.md': smallMessage('m-one').replace('audience: [residents]', 'audience: [residents'), 'c1/campaign.yaml': `${SMALL_CAMPAIGN}source: twice\n` }),
      { t },
    );
    expect(problems).toEqual([
      error('c1/campaign.yaml', 11, 'invalid YAML'),
      // The parser notices the unclosed [ of line 4 where the next key starts.
      error('c1/messages/m-one.md', 5, 'invalid YAML'),
    ]);
    expect(loaded.campaigns).toEqual([]);
    expect(loaded.qa).toHaveLength(1);
  });

  it('reports YAML whose aliases would blow up into a huge document instead of throwing (found by fuzzing)', async () => {
    const bomb = ['a: &a ["x", "x"]', 'b: &b [*a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c]', 'e: &e [*d, *d, *d, *d]', 'f: [*e, *e, *e, *e]'].join('\n');
    const { library: loaded, problems } = await loadLibrary(await library({ 'qa/q-one.md': smallAnswer('q-one').replace('---\n## vi', `${bomb}\n---\n## vi`) }), { t });
    expect(problems).toEqual([error('qa/q-one.md', 2, 'invalid YAML: Excessive alias count')]);
    expect(loaded.qa).toEqual([]);
    expect(loaded.campaigns[0]?.messages.map((m) => m.id)).toEqual(['m-one', 'm-two']);
  });

  it('reports a campaign whose calendar is missing or whose time zone is unknown', async () => {
    expect(await problemsOf({ 'c1/calendar.yaml': null })).toEqual([error('c1/calendar.yaml', 1, 'file is missing')]);
    expect(await problemsOf({ 'c1/campaign.yaml': SMALL_CAMPAIGN.replace('Asia/Ho_Chi_Minh', 'Asia/Hanoi_City') })).toEqual([error('c1/campaign.yaml', 6, 'timezone: unknown time zone')]);
  });

  it('words problems in the operator language', async () => {
    const vi = (await createTranslator('vi')).t('vi');
    const { problems } = await loadLibrary(await library({ 'c1/messages/m-two.md': smallMessage('m-three') }), { t: vi });
    expect(problems).toEqual([error('c1/messages/m-two.md', 2, 'mã m-three không trùng với tên tệp m-two')]);
  });
});
