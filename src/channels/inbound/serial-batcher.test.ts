import { describe, expect, it } from 'vitest';
import { SerialBatcher } from './serial-batcher.js';

/** A `work` whose runs are finished by hand, recording the batches it was given. */
function controlledWork() {
  const runs: { items: number[]; finish: (err?: Error) => void }[] = [];
  const work = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      runs.push({ items, finish: (err) => (err ? reject(err) : resolve(items.map((n) => `done ${n}`))) });
    });
  return { runs, work };
}

describe('SerialBatcher', () => {
  it('runs what was added together as one batch, and what comes during a run as the next one', async () => {
    const { runs, work } = controlledWork();
    const batcher = new SerialBatcher(work, 100);

    const first = [1, 2, 3].map((n) => batcher.add(n));
    await expect.poll(() => runs.length).toBe(1);
    const second = [4, 5].map((n) => batcher.add(n));
    await new Promise((resolve) => setImmediate(resolve));
    // One run at a time: the second batch waits for the first.
    expect(runs.map((run) => run.items)).toEqual([[1, 2, 3]]);

    runs[0]!.finish();
    expect(await Promise.all(first)).toEqual(['done 1', 'done 2', 'done 3']);
    await expect.poll(() => runs.length).toBe(2);
    expect(runs[1]!.items).toEqual([4, 5]);
    runs[1]!.finish();
    expect(await Promise.all(second)).toEqual(['done 4', 'done 5']);
  });

  it('fails every item of a failed run and none of the next', async () => {
    const { runs, work } = controlledWork();
    const batcher = new SerialBatcher(work, 100);

    const failing = [1, 2].map((n) => batcher.add(n));
    await expect.poll(() => runs.length).toBe(1);
    const later = batcher.add(3);
    runs[0]!.finish(new Error('Redis went away'));
    expect(await Promise.allSettled(failing)).toEqual([
      { status: 'rejected', reason: new Error('Redis went away') },
      { status: 'rejected', reason: new Error('Redis went away') },
    ]);

    await expect.poll(() => runs.length).toBe(2);
    runs[1]!.finish();
    expect(await later).toBe('done 3');
  });

  it('cuts a flood into batches of at most the given size', async () => {
    const { runs, work } = controlledWork();
    const batcher = new SerialBatcher(work, 2);

    const all = [1, 2, 3, 4, 5].map((n) => batcher.add(n));
    for (let i = 0; i < 3; i++) {
      await expect.poll(() => runs.length).toBe(i + 1);
      runs[i]!.finish();
    }
    expect(runs.map((run) => run.items)).toEqual([[1, 2], [3, 4], [5]]);
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5].map((n) => `done ${n}`));
  });
});
