import fc from 'fast-check';
import { createTranslator } from '../../src/platform/i18n.js';
import { apiTargets } from '../fuzz/api-targets.js';
import { consoleTargets } from '../fuzz/console-targets.js';
import { itemText, loadSpoiled, readerFaults, spoiledLibrary } from '../fuzz/content-fuzz.js';
import { FuzzRun, watchProcess, type FuzzTarget } from '../fuzz/fuzz-run.js';
import { startFuzzService } from '../fuzz/fuzz-service.js';
import { tipFormTargets } from '../fuzz/tip-form-targets.js';
import { webhookTargets } from '../fuzz/webhook-targets.js';
import type { BenchRow } from './bench-row.js';

/** Issue 9: at least this many fuzzed requests per run, spread evenly over every endpoint. */
const DEFAULT_HTTP_CASES = 10_000;
/** Texts for the item-file and YAML readers, and whole spoiled libraries for loadLibrary (each costs a folder). */
const READER_CASES = 5_000;
const LIBRARY_CASES = 500;
const REDIS_URL = 'redis://127.0.0.1:6379';
/** How many findings are printed in full (to stderr) so that a failed target can be reproduced. */
const SHOWN_FINDINGS = 5;

interface Findings {
  count: number;
  shown: string[];
}

function note(findings: Findings, what: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  findings.count += 1;
  if (findings.shown.length < SHOWN_FINDINGS) findings.shown.push(`${what}: ${problems.join('; ').slice(0, 600)}`);
}

/** Runs every target for its share of the cases; a case that breaks the run itself counts as a finding. */
async function fuzzHttp(total: number, findings: Findings): Promise<{ run: FuzzRun; targets: number; ms: number }> {
  const fz = await startFuzzService(REDIS_URL);
  try {
    const run = new FuzzRun(fz);
    const targets: FuzzTarget[] = [...webhookTargets(fz), ...apiTargets(fz), ...tipFormTargets(), ...consoleTargets(fz)];
    const perTarget = Math.ceil(total / targets.length);
    const started = performance.now();
    for (const target of targets) {
      await fc.assert(
        fc.asyncProperty(target.cases, async (request) => {
          const problems = await run.check(target, request).catch((err: unknown) => [err instanceof Error ? err.message : String(err)]);
          note(findings, `${target.name} ${request.method} ${request.path}`, problems);
        }),
        { numRuns: perTarget },
      );
    }
    if (!(await run.alive())) note(findings, 'after the run', ['the service no longer answers /healthz']);
    return { run, targets: targets.length, ms: performance.now() - started };
  } finally {
    await fz.stop();
  }
}

async function fuzzContent(findings: Findings): Promise<number> {
  const t = (await createTranslator('en')).t('en');
  fc.assert(
    fc.property(itemText, (text) => {
      const problems = (() => {
        try {
          return readerFaults(text);
        } catch (err) {
          return [`threw ${err instanceof Error ? err.message : String(err)}`];
        }
      })();
      note(findings, 'item file / YAML reader', problems);
    }),
    { numRuns: READER_CASES },
  );
  await fc.assert(
    fc.asyncProperty(spoiledLibrary, async (files) => {
      const problems = await loadSpoiled(files, t).catch((err: unknown) => [`threw ${err instanceof Error ? err.message : String(err)}`]);
      note(findings, `loadLibrary of ${Object.keys(files).join(', ')}`, problems);
    }),
    { numRuns: LIBRARY_CASES },
  );
  return READER_CASES + LIBRARY_CASES;
}

const statuses = (byStatus: Map<number, number>) =>
  [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');

/**
 * Property-based fuzzing of every webhook, every /api/v1 route, the web tip form, the console sign-in and the
 * content validator, with far more cases than `npm test` runs (`httpCases` requests in all).
 */
export async function run(httpCases = DEFAULT_HTTP_CASES): Promise<BenchRow[]> {
  const watch = watchProcess();
  const http: Findings = { count: 0, shown: [] };
  const content: Findings = { count: 0, shown: [] };
  try {
    const { run: done, targets, ms } = await fuzzHttp(httpCases, http);
    const contentCases = await fuzzContent(content);
    const { tally } = done;
    const unhandled = watch.failures();
    for (const finding of [...http.shown, ...content.shown, ...unhandled.slice(0, SHOWN_FINDINGS)]) console.error(`fuzz finding: ${finding}`);
    return [
      { figure: 'Fuzz: HTTP cases run (all endpoints)', value: `${tally.cases} over ${targets} endpoints in ${(ms / 1000).toFixed(1)} s`, target: `≥ ${httpCases}`, met: tally.cases >= httpCases },
      { figure: 'Fuzz: answers by status', value: statuses(tally.byStatus) },
      { figure: 'Fuzz: 5xx answers', value: String(tally.serverErrors), target: '0', met: tally.serverErrors === 0 },
      { figure: 'Fuzz: requests left unanswered (within limits)', value: String(tally.unanswered), target: '0', met: tally.unanswered === 0 },
      { figure: 'Fuzz: refused requests that stored something', value: String(tally.writes), target: '0', met: tally.writes === 0 },
      { figure: 'Fuzz: HTTP cases with any finding', value: String(http.count), target: '0', met: http.count === 0 },
      { figure: 'Fuzz: crashes, unhandled rejections, prototype pollution', value: String(unhandled.length), target: '0', met: unhandled.length === 0 },
      { figure: 'Fuzz: content validator cases (texts, spoiled libraries)', value: `${contentCases} (${READER_CASES} + ${LIBRARY_CASES})` },
      { figure: 'Fuzz: content validator findings', value: String(content.count), target: '0', met: content.count === 0 },
    ];
  } finally {
    watch.stop();
  }
}
