import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** `node --import tsx`, resolved from here so that a child may run in any folder (a temporary one has no tsx). */
const TSX_LOADER = import.meta.resolve('tsx');
/** Output lines kept for the error message when a child fails to start. */
const KEPT_LINES = 20;

export interface NodeChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves with the first stdout line `pick` makes something of; rejects if the child exits or time runs out. */
  waitForLine<T>(pick: (line: string) => T | undefined, timeoutMs: number): Promise<T>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A TypeScript file run by plain `node` with tsx's loader: the pid is the process doing the work (the `tsx` command
 * would put a wrapper process in between), so /proc/<pid> shows the server's own memory. `env` is the whole
 * environment: nothing is inherited, so no setting of the shell running the bench (a real token, a REDIS_URL) leaks
 * in.
 */
export function spawnTs(script: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): NodeChild {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const recent: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const keep = (line: string) => {
    recent.push(line);
    if (recent.length > KEPT_LINES) recent.shift();
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    keep(line);
    for (const waiter of waiters) waiter(line);
  });
  createInterface({ input: child.stderr! }).on('line', keep);
  const exited = once(child, 'exit');

  return {
    process: child,
    pid: child.pid,
    waitForLine<T>(pick: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const fail = (why: string) => {
          cleanUp();
          reject(new Error(`${script} ${why}; its last output:\n${recent.join('\n')}`));
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

/** A JSON log or status line, or undefined for anything else. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
