import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/platform/paths.js';

/**
 * For describe blocks whose tests run the command-line tool several times: a guard against hangs, not a speed
 * target. Each run starts Node and loads the TypeScript sources, which takes seconds on two cores shared with the
 * rest of the suite.
 */
export const RUNS_CLI = { timeout: 120_000 } as const;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the real command-line tool in one child process (node with the tsx loader, so a kill reaches it). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', join(packageRoot, 'src', 'cli', 'main.ts'), ...args], {
    cwd: packageRoot,
    // Only what the test passes, so a developer's own .env or shell cannot change the outcome.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, USER: 'tester', ...env },
  });
}

/** Runs a command to its end, as an operator would, and collects what it printed. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
