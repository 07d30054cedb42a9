import { formatTable, type Bench, type BenchRow } from './bench-row.js';
import { run as broadcastFanOut } from './broadcast-fan-out.js';
import { run as fuzz } from './fuzz.js';
import { run as memory } from './memory.js';
import { run as qaEval } from './qa-eval.js';
import { run as tipIntake } from './tip-intake.js';
import { run as webhookIngestion } from './webhook-ingestion.js';

/** Every benchmark, in the order its rows are printed (the order); a new one adds its `run` here. */
const BENCHES: readonly Bench[] = [webhookIngestion, broadcastFanOut, tipIntake, memory, qaEval, () => fuzz()];

const rows: BenchRow[] = [];
for (const bench of BENCHES) rows.push(...(await bench()));
console.log(formatTable(rows));
