import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { Inbox } from '../../src/channels/inbound/inbox.js';
import { channelKeys } from '../../src/channels/queues.js';
import { ZALO_WEBHOOK_PATH } from '../../src/channels/zalo-bot/webhook.js';
import { packageRoot } from '../../src/platform/paths.js';
import { BenchService } from './bench-service.js';
import { jsonLine, spawnTs } from './child-process.js';
import { cpuSeconds } from './cpu-time.js';
import { RssSampler } from './rss-sampler.js';
import { postUpdates, type LoadOutcome } from './webhook-load.js';

/** How long the service sits idle after start before its memory is read. */
const IDLE_MS = 5_000;
const CHECK_BATCH = 1_000;
/**
 * The web tier and the bare app take turns this many times, so that a burst of load from another process on the
 * shared machine falls on one pair and not on one side of the comparison; the figure is the median pair's ratio.
 */
export const ROUNDS = 3;

/** A load run and the CPU seconds the server process spent during it. */
export interface ServerRun extends LoadOutcome {
  cpuSeconds: number;
}

export interface LoadSession {
  /** `loaphuong serve`: requests and every worker in one process, as `npm run demo` runs it. */
  service: ServerRun;
  /** `loaphuong serve --no-workers`, the web tier alone (its workers left to `loaphuong worker` processes), each round. */
  web: ServerRun[];
  /** The web tier again, with a `loaphuong worker` process working through the updates on the same two cores. */
  webBesideWorker: ServerRun;
  /** The bare express app, each round just before the web tier's. */
  bare: ServerRun[];
  /** The machine's 1-minute load average before and after, for how noisy the run was. */
  loadAverage: [number, number];
  persistence: string;
  /** Distinct updates the inbound dedupe records hold, and acknowledged ones (of every run) they lack, after a Redis crash. */
  recorded: number;
  missing: number;
  acknowledged: number;
  idle: { peakRss: number; hwm: number };
  underLoad: { peakRss: number; hwm: number };
  webUnderLoad: { peakRss: number; hwm: number };
}

let session: Promise<LoadSession> | undefined;

/**
 * The run behind figures 1 and 4: `loaphuong serve` idle for 5 s, then load 1 against `serve` (web and workers in
 * one process), then `ROUNDS` times against a bare express app and `serve --no-workers` (the web tier alone) in turn,
 * then against the web tier beside a `loaphuong worker` process, sampling memory; then the durability check over
 * every run. Run once, whichever bench asks first.
 */
export function serveUnderLoad(): Promise<LoadSession> {
  return (session ??= measure());
}

async function measure(): Promise<LoadSession> {
  const bench = await BenchService.start();
  const bareDir = mkdtempSync(join(tmpdir(), 'lpb-bare-'));
  const bareChild = spawnTs(join(packageRoot, 'test', 'bench', 'bare-express.ts'), [], { cwd: bareDir, env: { NODE_ENV: 'production' } });
  try {
    process.stderr.write('webhook: service started; idle for 5 s\n');
    const idleSampler = new RssSampler(bench.pid);
    await sleep(IDLE_MS);
    const idle = idleSampler.stop();

    const barePort = await bareChild.waitForLine((line) => {
      const port = jsonLine(line)?.port;
      return typeof port === 'number' ? port : undefined;
    }, 60_000);
    const loadBefore = loadavg()[0]!;
    process.stderr.write('webhook: load on loaphuong serve\n');
    const loadSampler = new RssSampler(bench.pid);
    const service = await timed(bench.pid, () => postUpdates(bench.webhookUrl, bench.webhookHeaders, 'serve'));
    const underLoad = loadSampler.stop();

    await bench.stopServe();
    await bench.startServe(['serve', '--no-workers']);
    const webSampler = new RssSampler(bench.pid);
    const bare: ServerRun[] = [];
    const web: ServerRun[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      process.stderr.write(`webhook: round ${round} of ${ROUNDS}, the bare express app then loaphuong serve --no-workers\n`);
      bare.push(await timed(bareChild.pid, () => postUpdates(`http://127.0.0.1:${barePort}${ZALO_WEBHOOK_PATH}`, bench.webhookHeaders, `bare-${round}`)));
      web.push(await timed(bench.pid, () => postUpdates(bench.webhookUrl, bench.webhookHeaders, `web-${round}`)));
    }
    const webUnderLoad = webSampler.stop();
    await bareChild.stop();

    process.stderr.write('webhook: the web tier again, beside a loaphuong worker process\n');
    await bench.startWorker();
    const webBesideWorker = await timed(bench.pid, () => postUpdates(bench.webhookUrl, bench.webhookHeaders, 'web-worker'));
    const loadAverage: [number, number] = [loadBefore, loadavg()[0]!];

    process.stderr.write('webhook: stopping the service, crashing Redis, counting what it kept\n');
    const persistence = await bench.persistence();
    await bench.stopServe();
    await bench.crashRedis();
    const redis = bench.connect();
    try {
      const acknowledged = new Set([service, ...web, webBesideWorker].flatMap((run) => [...run.acknowledged]));
      const { recorded, missing } = await countRecorded(redis, bench.prefix, acknowledged);
      return { service, web, webBesideWorker, bare, loadAverage, persistence, recorded, missing, acknowledged: acknowledged.size, idle, underLoad, webUnderLoad };
    } finally {
      redis.disconnect();
    }
  } finally {
    await bareChild.stop();
    await bench.close();
    rmSync(bareDir, { recursive: true, force: true });
  }
}

async function timed(pid: number, load: () => Promise<LoadOutcome>): Promise<ServerRun> {
  const before = cpuSeconds(pid);
  const outcome = await load();
  return { ...outcome, cpuSeconds: cpuSeconds(pid) - before };
}

/**
 * What ingestion keeps of an update: `Inbox.accept` sets its dedupe record and adds its job before the webhook
 * answers 200 (a failed add removes the record and answers 503), so the record stands for "enqueued". The record
 * outlives processing (three days), the payload and job do not, so the records are what can be counted afterwards.
 */
async function countRecorded(redis: Redis, prefix: string, acknowledged: ReadonlySet<string>): Promise<{ recorded: number; missing: number }> {
  const keys = channelKeys(prefix);
  let recorded = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', keys.inboundSeen('zalo', '*'), 'COUNT', 1000);
    recorded += found.length;
    cursor = next;
  } while (cursor !== '0');

  let missing = 0;
  const ids = [...acknowledged];
  for (let i = 0; i < ids.length; i += CHECK_BATCH) {
    const pipeline = redis.pipeline();
    for (const updateId of ids.slice(i, i + CHECK_BATCH)) pipeline.exists(keys.inboundSeen('zalo', Inbox.refOf({ platform: 'zalo', updateId })));
    for (const [err, exists] of (await pipeline.exec()) ?? []) if (err || exists !== 1) missing += 1;
  }
  return { recorded, missing };
}
