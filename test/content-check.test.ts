import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('loaphuong content check', () => {
  it('accepts the shipped content', async () => {
    const result = await runCli(['content', 'check'], { DEFAULT_LOCALE: 'en' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^campaigns: 2, messages: \d+, answers: \d+; errors: 0, warnings: \d+\.$/m);
  });

  it('lists the problems of a broken folder and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loaphuong-content-check-'));
    dirs.push(dir);
    await mkdir(join(dir, 'qa'));
    await writeFile(
      join(dir, 'qa', 'hoi.md'),
      '---\nid: hoi\ntopic: gossip\nquestions:\n  vi: ["Một?", "Hai?"]\n  en: ["One?", "Two?"]\n---\n## vi\nGọi {{phone}}.\n',
    );
    const result = await runCli(['content', 'check', '--dir', dir], { DEFAULT_LOCALE: 'en' });
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^qa\/hoi\.md:3: error: topic: expected one of /),
      'qa/hoi.md:8: error: missing section ## en',
      expect.stringMatching(/^qa\/hoi\.md:9: error: unknown placeholder \{\{phone\}\}/),
    ]);
    expect(result.stderr.trim()).toBe('Error: campaigns: 0, messages: 0, answers: 0; errors: 3, warnings: 0.');
  });
});
