import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type fc from 'fast-check';
import type { FuzzService } from './fuzz-service.js';
import { snapshotKeys, unexpectedWrites, type AllowedWrite, type KeySnapshot } from './key-snapshot.js';
import { sendRaw, type RawRequest } from './send-raw.js';

/** One endpoint (or a family of them) and the requests to throw at it. */
export interface FuzzTarget {
  name: string;
  cases: fc.Arbitrary<RawRequest>;
  /** Keys a refused request may still change here, each with the reason. */
  allowedWrites: readonly AllowedWrite[];
  /** The most body the endpoint reads: past it (or past the server's limit on headers), hanging up is a refusal too. */
  bodyLimit: number;
}

export interface FuzzTally {
  cases: number;
  byStatus: Map<number, number>;
  serverErrors: number;
  /** Requests that got no answer though they were within the endpoint's limits, or after which the service was gone. */
  unanswered: number;
  /** Refused requests that still changed something. */
  writes: number;
}

/** Node's HTTP server refuses larger request heads (16 KiB with the request line) with a 431 it may hang up after. */
const HEAD_LIMIT_BYTES = 15 * 1024;

/** How long the service may take to finish what an accepted request started (replies, notices) before a refused one is checked. */
const SETTLE_TIMEOUT_MS = 20_000;

/**
 * Throws requests at a running service one at a time and judges each answer: never a 5xx, always an answer (unless
 * the body was past the endpoint's limit and the service is still up), and nothing stored for a refused request.
 * After an accepted one it waits for the work it started to end, so that work is not blamed on the next request.
 */
export class FuzzRun {
  readonly tally: FuzzTally = { cases: 0, byStatus: new Map(), serverErrors: 0, unanswered: 0, writes: 0 };
  private before: KeySnapshot | undefined;

  constructor(private readonly fz: FuzzService) {}

  /** What is wrong with the service's handling of `request`; empty when nothing is. */
  async check(target: FuzzTarget, request: RawRequest): Promise<string[]> {
    const { fz, tally } = this;
    const before = this.before ?? (await this.settle());
    this.before = undefined;
    const reply = await sendRaw(fz.baseUrl, request);
    tally.cases += 1;
    if (reply.kind === 'no-answer') {
      const alive = await this.alive();
      const headBytes = Object.entries(request.headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, request.path.length);
      const excused = alive && ((request.body?.length ?? 0) > target.bodyLimit || headBytes > HEAD_LIMIT_BYTES);
      if (excused) return [];
      tally.unanswered += 1;
      return [alive ? `no answer: ${reply.error}` : `the service stopped answering after: ${reply.error}`];
    }
    tally.byStatus.set(reply.status, (tally.byStatus.get(reply.status) ?? 0) + 1);
    if (reply.status >= 500) {
      tally.serverErrors += 1;
      return [`answered ${reply.status}: ${reply.body.slice(0, 300)}`];
    }
    if (reply.status < 400) return [];
    const after = await snapshotKeys(fz.redis, fz.prefix);
    this.before = after;
    const writes = unexpectedWrites(before, after, target.allowedWrites);
    if (writes.length > 0) tally.writes += 1;
    return writes.map((write) => `answered ${reply.status} but ${write}`);
  }

  async alive(): Promise<boolean> {
    const reply = await sendRaw(this.fz.baseUrl, { method: 'GET', path: '/healthz', headers: {} });
    return reply.kind === 'answered' && reply.status === 200;
  }

  /** Waits until no job is left to run and nothing under the prefix changes any more; that is the state to compare with. */
  private async settle(): Promise<KeySnapshot> {
    const { fz } = this;
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let previous = await snapshotKeys(fz.redis, fz.prefix);
    for (;;) {
      await sleep(20);
      const idle = await this.queuesIdle();
      const current = await snapshotKeys(fz.redis, fz.prefix);
      if (idle && unexpectedWrites(previous, current, []).length === 0) return current;
      if (Date.now() > deadline) throw new Error(`the service was still busy ${SETTLE_TIMEOUT_MS} ms after the last accepted request`);
      previous = current;
    }
  }

  private async queuesIdle(): Promise<boolean> {
    const { service } = this.fz;
    // Jobs that wait on a timer count where a request can put them there: replies held by a rate limit, retries.
    const timed: Queue[] = [service.channels.inbox.queue, ...service.channels.platforms.map((p) => service.channels.outbox.queue(p))];
    const untimed: Queue[] = [service.tips.deps.queue.queue, service.questions.deps.queue.queue, service.broadcasts.deps.triggers.queue];
    const counts = await Promise.all([
      ...timed.map((q) => q.getJobCounts('waiting', 'active', 'prioritized', 'delayed')),
      ...untimed.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')),
    ]);
    return counts.every((c) => Object.values(c).every((n) => n === 0));
  }
}

/**
 * Unhandled rejections and uncaught exceptions anywhere in this process (the service runs in it) while watching,
 * and any property that appeared on Object.prototype (prototype pollution).
 */
export function watchProcess(): { failures(): string[]; stop(): void } {
  const found: string[] = [];
  const prototypeKeys = new Set(Reflect.ownKeys(Object.prototype));
  const onRejection = (reason: unknown) => found.push(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`);
  const onException = (err: Error) => found.push(`uncaught exception: ${err.stack}`);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtExceptionMonitor', onException);
  return {
    failures: () => {
      const polluted = Reflect.ownKeys(Object.prototype).filter((key) => !prototypeKeys.has(key));
      return [...found, ...polluted.map((key) => `Object.prototype gained ${String(key)}`)];
    },
    stop: () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtExceptionMonitor', onException);
    },
  };
}
