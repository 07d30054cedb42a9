import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTranslator, type TFunction } from '../../src/platform/i18n.js';
import { itemText, loadSpoiled, readerFaults, spoiledLibrary } from './content-fuzz.js';
import { watchProcess } from './fuzz-run.js';

let t: TFunction;
let watch: ReturnType<typeof watchProcess>;

beforeAll(async () => {
  watch = watchProcess();
  t = (await createTranslator('en')).t('en');
});

afterAll(() => watch.stop());

it('reads any text as an item file and as YAML without throwing, pointing only at lines that exist', () => {
  fc.assert(
    fc.property(itemText, (text) => {
      expect(readerFaults(text)).toEqual([]);
    }),
    { numRuns: 1_000 },
  );
  expect(watch.failures()).toEqual([]);
});

it('loads any spoiled library without throwing: every problem points at a line of a file, nothing broken is kept, twice the same', { timeout: 60_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(spoiledLibrary, async (files) => {
      expect(await loadSpoiled(files, t)).toEqual([]);
    }),
    { numRuns: 250 },
  );
  expect(watch.failures()).toEqual([]);
});
