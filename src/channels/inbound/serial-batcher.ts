interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Hands the items added to it to `work` many at a time, one run at a time: what is added while a run is in flight
 * waits for it and goes in the next run. Each run costs a round trip and a fixed overhead whatever its size, so
 * batches grow with the load rather than the number of runs; on one connection a later command would have waited for
 * the earlier one anyway. `work` answers a run with one result per item, in order, or fails every item of it.
 */
export class SerialBatcher<T, R> {
  private pending: Pending<T, R>[] = [];
  private running = false;

  constructor(
    private readonly work: (items: T[]) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      // setImmediate runs after every I/O callback of this turn of the event loop, gathering what arrived together.
      if (!this.running && this.pending.length === 1) setImmediate(() => void this.run());
    });
  }

  private async run(): Promise<void> {
    if (this.running || this.pending.length === 0) return;
    this.running = true;
    const batch = this.pending.splice(0, this.maxBatch);
    try {
      const results = await this.work(batch.map(({ item }) => item));
      batch.forEach(({ resolve }, i) => resolve(results[i]!));
    } catch (err) {
      for (const { reject } of batch) reject(err);
    } finally {
      this.running = false;
      if (this.pending.length > 0) setImmediate(() => void this.run());
    }
  }
}
