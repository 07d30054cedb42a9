import { availableParallelism } from 'node:os';
import type { Result } from 'autocannon';
import { percent, type BenchRow } from './bench-row.js';
import { ROUNDS, serveUnderLoad, type ServerRun } from './serve-under-load.js';
import { CONNECTIONS, DURATION_SECONDS } from './webhook-load.js';

/**
 * Issue 9, figure 1: the web tier's requests/s as a share of a bare express app's on the same machine, in rounds that
 * take turns (see serve-under-load.ts). Ingestion is what the web tier does (check, store, enqueue, answer); on two
 * shared cores, working through the updates at the same time takes CPU from it, so the runs beside a worker and all in
 * one process are shown too, without a target.
 */
const MIN_RATIO = 0.5;

const latency = (result: Result) => `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`;
const reqPerSecond = (run: ServerRun) => run.result.requests.average;
const cpuPerRequest = (runs: readonly ServerRun[]) => {
  const cpu = runs.reduce((sum, run) => sum + run.cpuSeconds, 0);
  const requests = runs.reduce((sum, run) => sum + run.result.requests.total, 0);
  return `${((cpu / Math.max(1, requests)) * 1e6).toFixed(0)} µs`;
};
const throughput = (result: Result) =>
  `${result.requests.average.toFixed(0)} req/s (${result['2xx']} 2xx, ${result.non2xx} other, ${result.errors} errors)`;

/** The middle value of an odd number of values; of an even number, the lower middle one. */
function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
}

/** The round whose requests/s is the median, with how the rounds went. */
function medianRound(runs: readonly ServerRun[]): { run: ServerRun; rounds: string } {
  const middle = median(runs.map(reqPerSecond));
  return { run: runs.find((run) => reqPerSecond(run) === middle)!, rounds: runs.map((run) => reqPerSecond(run).toFixed(0)).join(' / ') };
}

/**
 * Valid Zalo Bot updates at concurrency 50 for 10 s against the bare app and the service's three ways of running
 * (see serve-under-load.ts), each answered update then looked for in Redis after a SIGKILL and restart.
 */
export async function run(): Promise<BenchRow[]> {
  const { service, web, webBesideWorker, bare, loadAverage, persistence, recorded, missing, acknowledged } = await serveUnderLoad();
  // Each round's web tier against the bare app measured just before it, on the same machine in the same moment.
  const pairRatios = web.map((run, i) => reqPerSecond(run) / reqPerSecond(bare[i]!));
  const ratio = median(pairRatios);
  const bareMedian = medianRound(bare);
  const webMedian = medianRound(web);
  const againstBare = (run: ServerRun) => {
    const share = reqPerSecond(run) / reqPerSecond(bareMedian.run);
    return `${share.toFixed(2)} (${percent(share)}); ${latency(run.result)}`;
  };
  const answeredAll = [service, ...web, webBesideWorker].every((run) => run.result['2xx'] === run.acknowledged.size);
  return [
    { figure: `Webhook: bare express app answering 200, median of ${ROUNDS} rounds`, value: `${throughput(bareMedian.run.result)}; rounds ${bareMedian.rounds}` },
    { figure: 'Webhook: latency, bare express app (median round)', value: latency(bareMedian.run.result) },
    {
      figure: `Webhook (${CONNECTIONS} connections, ${DURATION_SECONDS} s): serve --no-workers (web tier), median of ${ROUNDS} rounds`,
      value: `${throughput(webMedian.run.result)}; rounds ${webMedian.rounds}`,
    },
    {
      figure: 'Webhook: requests/s, web tier / bare express (median of the rounds)',
      value: `${ratio.toFixed(2)} (${percent(ratio)}); rounds ${pairRatios.map((r) => r.toFixed(2)).join(' / ')}`,
      target: `≥ ${MIN_RATIO.toFixed(2)}`,
      met: ratio >= MIN_RATIO,
    },
    { figure: 'Webhook: latency, web tier (median round)', value: latency(webMedian.run.result) },
    { figure: 'Webhook: web tier beside a worker process, / bare (median round)', value: againstBare(webBesideWorker) },
    { figure: 'Webhook: serve (web and workers in one process), / bare (median round)', value: againstBare(service) },
    { figure: 'Webhook: server CPU time per request, web tier / serve / bare', value: `${cpuPerRequest(web)} / ${cpuPerRequest([service])} / ${cpuPerRequest(bare)}` },
    { figure: 'Webhook: machine load average (1 min) before / after', value: `${loadAverage[0].toFixed(1)} / ${loadAverage[1].toFixed(1)} on ${availableParallelism()} cores` },
    { figure: 'Webhook: Redis persistence (managed redis-server)', value: persistence },
    {
      figure: 'Webhook: acknowledged = enqueued, all runs (after Redis SIGKILL + restart)',
      // Records beyond the acknowledged ones are the requests in flight when autocannon stopped: stored and answered,
      // but the answer was no longer counted.
      value: `${acknowledged} acknowledged (2xx), ${acknowledged - missing} of them recorded; ${recorded} records in all`,
      target: 'every acknowledged update recorded',
      met: missing === 0 && answeredAll,
    },
  ];
}
