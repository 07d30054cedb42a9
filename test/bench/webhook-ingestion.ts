import type { Result } from 'autocannon';
import { percent, type BenchRow } from './bench-row.js';
import { serveUnderLoad } from './serve-under-load.js';
import { CONNECTIONS, DURATION_SECONDS } from './webhook-load.js';

/** Issue 9, figure 1: the service's requests/s as a share of a bare express app's on the same machine. */
const MIN_RATIO = 0.5;

const latency = (result: Result) => `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`;
const throughput = (result: Result) =>
  `${result.requests.average.toFixed(0)} req/s (${result['2xx']} 2xx, ${result.non2xx} other, ${result.errors} errors)`;

/**
 * Valid Zalo Bot updates at concurrency 50 for 10 s, first against the bare app, then against `loaphuong serve`
 * (see serve-under-load.ts), each answered update then looked for in Redis after a SIGKILL and restart.
 */
export async function run(): Promise<BenchRow[]> {
  const { service, bare, persistence, recorded, missing } = await serveUnderLoad();
  const ratio = service.result.requests.average / bare.result.requests.average;
  const acknowledged = service.acknowledged.size;
  const allKept = missing === 0 && service.result['2xx'] === acknowledged;
  return [
    { figure: `Webhook (${CONNECTIONS} connections, ${DURATION_SECONDS} s): loaphuong serve`, value: throughput(service.result) },
    { figure: 'Webhook: bare express app answering 200', value: throughput(bare.result) },
    { figure: 'Webhook: requests/s, service / bare express', value: `${ratio.toFixed(2)} (${percent(ratio)})`, target: `≥ ${MIN_RATIO.toFixed(2)}`, met: ratio >= MIN_RATIO },
    { figure: 'Webhook: latency, loaphuong serve', value: latency(service.result) },
    { figure: 'Webhook: latency, bare express app', value: latency(bare.result) },
    { figure: 'Webhook: Redis persistence (managed redis-server)', value: persistence },
    {
      figure: 'Webhook: acknowledged = enqueued (after Redis SIGKILL + restart)',
      value: `${acknowledged} acknowledged, ${acknowledged - missing} of them recorded (${recorded} records in all)`,
      target: 'every acknowledged update recorded',
      met: allKept,
    },
  ];
}
