import type { BenchRow } from './bench-row.js';
import { megabytes } from './rss-sampler.js';
import { serveUnderLoad } from './serve-under-load.js';

/** Issue 9, figure 4. Megabytes of 10^6 bytes, the stricter reading of "200 MB". */
const MAX_BYTES = 200e6;

const row = (figure: string, bytes: number): BenchRow => ({ figure, value: megabytes(bytes), target: `< ${megabytes(MAX_BYTES)}`, met: bytes < MAX_BYTES });

/**
 * Peak RSS of the `loaphuong serve` process (not the separate redis-server), from /proc every 100 ms and the kernel's
 * high-water mark, during the same run as the webhook figures. It runs the compiled command (built-cli.ts): under tsx
 * the same service takes about 40 MB more.
 */
export async function run(): Promise<BenchRow[]> {
  const { idle, underLoad, webUnderLoad } = await serveUnderLoad();
  return [
    row('Memory: peak RSS of serve, idle 5 s after start (start-up included)', idle.hwm),
    row('Memory: peak RSS of serve under load 1 (high-water mark)', underLoad.hwm),
    row('Memory: peak RSS of serve --no-workers under load 1', webUnderLoad.hwm),
    { figure: 'Memory: highest RSS of serve sampled every 100 ms under load 1', value: megabytes(underLoad.peakRss) },
  ];
}
