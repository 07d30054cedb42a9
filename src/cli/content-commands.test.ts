import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator, type TFunction } from '../platform/i18n.js';
import { registerContentCommands } from './content-commands.js';
import { CliError } from './errors.js';

let t: TFunction;
const dirs: string[] = [];

beforeAll(async () => {
  t = (await createTranslator('en')).t('en');
});

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function run(args: string[]): Promise<{ lines: string[]; error?: unknown }> {
  const lines: string[] = [];
  const program = new Command('loaphuong').exitOverride();
  registerContentCommands(program, { t, env: {}, cwd: tmpdir(), out: (line) => lines.push(line) });
  try {
    await program.parseAsync(['content', 'check', ...args], { from: 'user' });
    return { lines };
  } catch (error) {
    return { lines, error };
  }
}

/** A library whose only campaign has an over-long answer (a warning) and, unless asked not to, a misnamed message. */
async function brokenLibrary(options: { errors: boolean }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loaphuong-content-cli-'));
  dirs.push(dir);
  await mkdir(join(dir, 'qa'));
  const answer = (id: string, en: string) =>
    `---\nid: ${id}\ntopic: bot-usage\nquestions:\n  vi: ["Một?", "Hai?"]\n  en: ["One?", "Two?"]\n---\n## vi\nTrả lời.\n\n## en\n${en}\n`;
  await writeFile(join(dir, 'qa', 'dai.md'), answer('dai', 'x'.repeat(1600)));
  if (options.errors) await writeFile(join(dir, 'qa', 'sai-ten.md'), answer('ten-khac', 'Answer.'));
  return dir;
}

describe('loaphuong content check', () => {
  it('passes on the shipped content and prints a summary', async () => {
    const { lines, error } = await run([]);
    expect(error).toBeUndefined();
    expect(lines.at(-1)).toMatch(/^campaigns: 2, messages: \d+, answers: \d+; errors: 0, warnings: \d+\.$/);
  });

  it('prints each problem as file:line and fails with the summary when there is an error', async () => {
    const { lines, error } = await run(['--dir', await brokenLibrary({ errors: true })]);
    expect(lines).toEqual([
      'qa/dai.md:11: warning: the en text can reach 1600 characters with the longest placeholder values; keep it under 1500',
      'qa/sai-ten.md:2: error: id ten-khac does not match the file name sai-ten',
    ]);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe('campaigns: 0, messages: 0, answers: 1; errors: 1, warnings: 1.');
  });

  it('fails on warnings only with --strict', async () => {
    const dir = await brokenLibrary({ errors: false });
    expect((await run(['--dir', dir])).error).toBeUndefined();
    expect((await run(['--dir', dir, '--strict'])).error).toBeInstanceOf(CliError);
  });
});
