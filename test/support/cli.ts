import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/platform/paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real command-line tool in one child process (node with the tsx loader, so a kill reaches it), as an operator would. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot, 'src', 'cli', 'main.ts'), ...args], {
    cwd: packageRoot,
    // Only what the test passes, so a developer's own .env or shell cannot change the outcome.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, USER: 'tester', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
