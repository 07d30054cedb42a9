import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** tsx's loader, resolved from here so that a child may run in any folder (a temporary one has no tsx). */
const TSX_LOADER = import.meta.resolve('tsx');
/** Output lines kept: stdout for a wait that starts after its line came, both for the error when a child fails. */
const KEPT_LINES = 200;

export interface NodeChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves with the first stdout line `pick` makes something of; rejects if the child exits or time runs out. */
  waitForLine<T>(pick: (line: string) => T | undefined, timeoutMs: number): Promise<T>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A node process whose pid is the process doing the work (the `tsx` command would put a wrapper process in between),
 * so that /proc/<pid> shows the server's own memory. `env` is the whole environment: nothing is inherited, so no
 * setting of the shell running the bench (a real token, a REDIS_URL) leaks in.
 */
export function spawnNode(script: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }, nodeOptions: readonly string[] = []): NodeChild {
  const child = spawn(process.execPath, [...nodeOptions, script, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const recent: string[] = [];
  const stdout: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const keep = (lines: string[], line: string) => {
    lines.push(line);
    if (lines.length > KEPT_LINES) lines.shift();
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    keep(recent, line);
    keep(stdout, line);
    for (const waiter of waiters) waiter(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => keep(recent, line));
  const exited = once(child, 'exit');

  return {
    process: child,
    pid: child.pid,
    waitForLine<T>(pick: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
      for (const line of stdout) {
        const picked = pick(line);
        if (picked !== undefined) return Promise.resolve(picked);
      }
      return new Promise<T>((resolve, reject) => {
        const fail = (why: string) => {
          cleanUp();
          reject(new Error(`${script} ${why}; its last output:\n${recent.slice(-20).join('\n')}`));
        };
        const waiter = (line: string) => {
          const picked = pick(line);
          if (picked === undefined) return;
          cleanUp();
          resolve(picked);
        };
        const onExit = (code: number | null) => fail(`exited (code ${code})`);
        const timer = setTimeout(() => fail(`gave no expected output within ${timeoutMs} ms`), timeoutMs);
        const cleanUp = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
          child.off('exit', onExit);
        };
        waiters.add(waiter);
        child.once('exit', onExit);
      });
    },
    async stop(graceMs = 20_000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A TypeScript file run with `node --import tsx`. */
export function spawnTs(script: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): NodeChild {
  return spawnNode(script, args, options, ['--import', TSX_LOADER]);
}

/** A JSON log or status line, or undefined for anything else. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
