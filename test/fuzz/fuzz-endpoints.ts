import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testRedisUrl } from '../support/redis.js';
import { FuzzRun, watchProcess, type FuzzTarget } from './fuzz-run.js';
import { startFuzzService, type FuzzService } from './fuzz-service.js';

/** Cases per endpoint in `npm test`; `npm run bench` runs many more. */
const TEST_RUNS = 150;

/**
 * Declares one vitest test per target made by `targets`, all against one service: each case must get a 2xx, 3xx
 * or 4xx answer, never a 5xx, and a refused one must leave the stored data as it was; no rejection or exception
 * may go unhandled meanwhile. Seeds are random; fast-check prints the seed and the smallest failing case.
 */
export function fuzzEndpoints(targets: (fz: FuzzService) => FuzzTarget[], names: readonly string[], numRuns = TEST_RUNS): void {
  let fz: FuzzService;
  let run: FuzzRun;
  let made: FuzzTarget[];
  let watch: ReturnType<typeof watchProcess>;

  beforeAll(async () => {
    watch = watchProcess();
    fz = await startFuzzService(testRedisUrl());
    run = new FuzzRun(fz);
    made = targets(fz);
    expect(made.map((t) => t.name)).toEqual(expect.arrayContaining([...names]));
  });

  afterAll(async () => {
    watch?.stop();
    await fz?.stop();
  });

  for (const name of names) {
    it(`${name}: never a 5xx, nothing stored when refused, nothing unhandled`, { timeout: 60_000 }, async () => {
      const target = made.find((t) => t.name === name)!;
      const earlier = watch.failures().length;
      await fc.assert(
        fc.asyncProperty(target.cases, async (request) => {
          expect(await run.check(target, request)).toEqual([]);
        }),
        { numRuns },
      );
      expect(await run.alive()).toBe(true);
      expect(watch.failures().slice(earlier)).toEqual([]);
    });
  }
}
