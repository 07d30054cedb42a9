import { availableParallelism } from 'node:os';
import type { Result } from 'autocannon';
import { percent, type BenchRow } from './bench-row.js';
import { serveUnderLoad, type ServerRun } from './serve-under-load.js';
import { CONNECTIONS, DURATION_SECONDS } from './webhook-load.js';

/**
 * Issue 9, figure 1: the web tier's requests/s as a share of a bare express app's on the same machine. Ingestion is
 * what the web tier does (check, store, enqueue, answer); on two shared cores, working through the updates at the same
 * time takes CPU from it, so the runs beside a worker and all in one process are shown too, without a target.
 */
const MIN_RATIO = 0.5;

const latency = (result: Result) => `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`;
const cpuPerRequest = (run: ServerRun) => (run.cpuSeconds / Math.max(1, run.result.requests.total)) * 1e6;
const throughput = (result: Result) =>
  `${result.requests.average.toFixed(0)} req/s (${result['2xx']} 2xx, ${result.non2xx} other, ${result.errors} errors)`;

/**
 * Valid Zalo Bot updates at concurrency 50 for 10 s against the bare app and the service's three ways of running
 * (see serve-under-load.ts), each answered update then looked for in Redis after a SIGKILL and restart.
 */
export async function run(): Promise<BenchRow[]> {
  const { service, web, webBesideWorker, bare, loadAverage, persistence, recorded, missing, acknowledged } = await serveUnderLoad();
  const ratio = (run: ServerRun) => run.result.requests.average / bare.result.requests.average;
  const ratioValue = (run: ServerRun) => `${ratio(run).toFixed(2)} (${percent(ratio(run))})`;
  const answeredAll = [service, web, webBesideWorker].every((run) => run.result['2xx'] === run.acknowledged.size);
  return [
    { figure: 'Webhook: bare express app answering 200', value: throughput(bare.result) },
    { figure: 'Webhook: latency, bare express app', value: latency(bare.result) },
    { figure: `Webhook (${CONNECTIONS} connections, ${DURATION_SECONDS} s): serve --no-workers (web tier)`, value: throughput(web.result) },
    { figure: 'Webhook: requests/s, web tier / bare express', value: ratioValue(web), target: `≥ ${MIN_RATIO.toFixed(2)}`, met: ratio(web) >= MIN_RATIO },
    { figure: 'Webhook: latency, web tier', value: latency(web.result) },
    { figure: 'Webhook: web tier beside a worker process, / bare', value: `${ratioValue(webBesideWorker)}; ${latency(webBesideWorker.result)}` },
    { figure: 'Webhook: serve (web and workers in one process), / bare', value: `${ratioValue(service)}; ${latency(service.result)}` },
    {
      figure: 'Webhook: server CPU time per request, web tier / serve / bare',
      value: `${cpuPerRequest(web).toFixed(0)} µs / ${cpuPerRequest(service).toFixed(0)} µs / ${cpuPerRequest(bare).toFixed(0)} µs`,
    },
    { figure: 'Webhook: machine load average (1 min) before / after', value: `${loadAverage[0].toFixed(1)} / ${loadAverage[1].toFixed(1)} on ${availableParallelism()} cores` },
    { figure: 'Webhook: Redis persistence (managed redis-server)', value: persistence },
    {
      figure: 'Webhook: acknowledged = enqueued, all three runs (after Redis SIGKILL + restart)',
      // Records beyond the acknowledged ones are the requests in flight when autocannon stopped: stored and answered,
      // but the answer was no longer counted.
      value: `${acknowledged} acknowledged (2xx), ${acknowledged - missing} of them recorded; ${recorded} records in all`,
      target: 'every acknowledged update recorded',
      met: missing === 0 && answeredAll,
    },
  ];
}
