import type { Redis } from 'ioredis';

export type ProbeResult = { ok: true } | { ok: false; reason: string };
export type Probe = () => Promise<ProbeResult>;

const PROBE_TIMEOUT_MS = 1_000;

async function withTimeout(probe: Probe): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timed out' }), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe().catch((err: Error) => ({ ok: false as const, reason: err.message })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What `/readyz` asks: each named probe must answer ok within a second. */
export class Readiness {
  private readonly probes = new Map<string, Probe>();

  add(name: string, probe: Probe): void {
    this.probes.set(name, probe);
  }

  async check(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const entries = await Promise.all(
      [...this.probes].map(async ([name, probe]) => [name, await withTimeout(probe)] as const),
    );
    const checks = Object.fromEntries(entries.map(([name, r]) => [name, r.ok ? 'ok' : r.reason]));
    return { ready: entries.every(([, r]) => r.ok), checks };
  }
}

export function redisProbe(redis: Redis): Probe {
  return async () => ((await redis.ping()) === 'PONG' ? { ok: true } : { ok: false, reason: 'unexpected reply' });
}

/** Anything with BullMQ's Worker shape: running, and its connection is not stuck. */
export interface RunningWorker {
  name: string;
  isRunning(): boolean;
}

export function workersProbe(workers: () => readonly RunningWorker[]): Probe {
  return async () => {
    const stopped = workers().filter((w) => !w.isRunning()).map((w) => w.name);
    return stopped.length === 0 ? { ok: true } : { ok: false, reason: `not running: ${stopped.join(', ')}` };
  };
}
