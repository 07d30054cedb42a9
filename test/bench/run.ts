import { formatTable, type Bench, type BenchRow } from './bench-row.js';
import { run as broadcastFanOut } from './broadcast-fan-out.js';
import { run as qaEval } from './qa-eval.js';

/** Every benchmark, in the order its rows are printed; a new one adds its `run` here. */
const BENCHES: readonly Bench[] = [qaEval, broadcastFanOut];

const rows: BenchRow[] = [];
for (const bench of BENCHES) rows.push(...(await bench()));
console.log(formatTable(rows));
