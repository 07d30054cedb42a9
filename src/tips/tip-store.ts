import type { Redis } from 'ioredis';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import { noteSchema, replyRouteSchema, threadEntrySchema, tipRecordSchema, type Note, type ReplyRoute, type ThreadEntry, type TipContent, type TipRecord } from './schemas.js';
import { newTipSchema } from './schemas.js';

export const tipKeys = (prefix: string) => ({
  tip: (id: string) => `${prefix}:tips:tip:${id}`,
  content: (id: string) => `${prefix}:tips:content:${id}`,
  thread: (id: string) => `${prefix}:tips:thread:${id}`,
  notes: (id: string) => `${prefix}:tips:notes:${id}`,
  photo: (id: string, n: number) => `${prefix}:tips:photo:${id}:${n}`,
  /** The chat to answer the tipster in, sealed and apart from the tip; the police's views never read it. */
  route: (id: string) => `${prefix}:tips:route:${id}`,
  /** Queue jobs and outbound messages made for a tip, so purging it removes them too. */
  links: (id: string) => `${prefix}:tips:links:${id}`,
  index: `${prefix}:tips:index`,
  byCode: `${prefix}:tips:by-code`,
  counter: (purpose: string, hashed: string) => `${prefix}:tips:count:${purpose}:${hashed}`,
  seen: (fingerprint: string) => `${prefix}:tips:seen:${fingerprint}`,
});
export type TipKeys = ReturnType<typeof tipKeys>;

export interface StoredTip {
  record: TipRecord;
  codeHash: string;
  content: TipContent;
  photos: readonly Buffer[];
  route?: ReplyRoute;
  /** Fingerprints remembered for a while with the tip (duplicate detection); `keepFirst` leaves an existing one. */
  marks?: readonly { fingerprint: string; value: string; seconds: number; keepFirst?: boolean }[];
}

/**
 * Tip records in Redis. What the tipster wrote, photos, the thread, notes and the reply route are sealed
 * (AES-256-GCM, bound to their key); the record in clear holds only category, status, priority and times.
 */
export class TipStore {
  readonly keys: TipKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly box: SealedBox,
  ) {
    this.keys = tipKeys(prefix);
  }

  /** Everything in one transaction: once it returns (and Redis fsyncs its append-only file), the tip is kept. */
  async create(tip: StoredTip): Promise<void> {
    const { record } = tip;
    const k = this.keys;
    const multi = this.redis
      .multi()
      .hset(k.tip(record.id), { ...flat(record), codeHash: tip.codeHash })
      .set(k.content(record.id), this.box.sealJson(tip.content, k.content(record.id)))
      .hset(k.byCode, tip.codeHash, record.id)
      .zadd(k.index, Date.parse(record.createdAt), record.id);
    tip.photos.forEach((photo, n) => multi.set(k.photo(record.id, n), this.box.seal(photo, k.photo(record.id, n))));
    if (tip.route) multi.set(k.route(record.id), this.box.sealJson(tip.route, k.route(record.id)));
    for (const mark of tip.marks ?? []) {
      if (mark.keepFirst) multi.set(k.seen(mark.fingerprint), mark.value, 'EX', mark.seconds, 'NX');
      else multi.set(k.seen(mark.fingerprint), mark.value, 'EX', mark.seconds);
    }
    await exec(multi);
  }

  async idForCode(codeHash: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.byCode, codeHash)) ?? undefined;
  }

  async record(id: string): Promise<TipRecord | undefined> {
    const raw = await this.redis.hgetall(this.keys.tip(id));
    return Object.keys(raw).length === 0 ? undefined : tipRecordSchema.parse(raw);
  }

  async records(ids: readonly string[]): Promise<TipRecord[]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.tip(id));
    const results = (await pipeline.exec()) ?? [];
    return results.flatMap(([err, raw]) => {
      if (err) throw err;
      const fields = raw as Record<string, string>;
      return Object.keys(fields).length === 0 ? [] : [tipRecordSchema.parse(fields)];
    });
  }

  /** Ids, newest first. */
  async ids(): Promise<string[]> {
    return this.redis.zrevrange(this.keys.index, 0, -1);
  }

  /** Ids of the tips received within [from, to], oldest first. */
  async idsCreatedBetween(from: Date, to: Date): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.index, from.getTime(), to.getTime());
  }

  async update(id: string, fields: Partial<TipRecord>, clear: (keyof TipRecord)[] = []): Promise<void> {
    const multi = this.redis.multi().hset(this.keys.tip(id), flat(fields));
    if (clear.length > 0) multi.hdel(this.keys.tip(id), ...clear);
    await exec(multi);
  }

  async content(id: string): Promise<TipContent> {
    const sealed = await this.redis.get(this.keys.content(id));
    return newTipSchema.parse(sealed === null ? {} : this.box.openJson(sealed, this.keys.content(id)));
  }

  async photo(id: string, n: number): Promise<Buffer | undefined> {
    const key = this.keys.photo(id, n);
    const sealed = await this.redis.get(key);
    return sealed === null ? undefined : this.box.open(sealed, key);
  }

  async route(id: string): Promise<ReplyRoute | undefined> {
    const sealed = await this.redis.get(this.keys.route(id));
    return sealed === null ? undefined : replyRouteSchema.parse(this.box.openJson(sealed, this.keys.route(id)));
  }

  /** Appends to the thread and counts it in the record, in one step. */
  async appendThread(id: string, entry: ThreadEntry, changes: Partial<TipRecord> = {}): Promise<void> {
    const key = this.keys.thread(id);
    await exec(this.redis.multi().rpush(key, this.box.sealJson(entry, key)).hincrby(this.keys.tip(id), 'messages', 1).hset(this.keys.tip(id), flat(changes)));
  }

  async thread(id: string): Promise<ThreadEntry[]> {
    const key = this.keys.thread(id);
    return (await this.redis.lrange(key, 0, -1)).map((sealed) => threadEntrySchema.parse(this.box.openJson(sealed, key)));
  }

  async appendNote(id: string, note: Note): Promise<void> {
    const key = this.keys.notes(id);
    await this.redis.rpush(key, this.box.sealJson(note, key));
  }

  async notes(id: string): Promise<Note[]> {
    const key = this.keys.notes(id);
    return (await this.redis.lrange(key, 0, -1)).map((sealed) => noteSchema.parse(this.box.openJson(sealed, key)));
  }

  async link(id: string, kind: 'job' | 'delivery', ref: string): Promise<void> {
    await this.redis.sadd(this.keys.links(id), `${kind}:${ref}`);
  }

  async links(id: string): Promise<{ kind: 'job' | 'delivery'; ref: string }[]> {
    return (await this.redis.smembers(this.keys.links(id))).map((link) => {
      const at = link.indexOf(':');
      return { kind: link.slice(0, at) as 'job' | 'delivery', ref: link.slice(at + 1) };
    });
  }

  /** Removes every trace of a tip's content; the audit trail keeps that it existed. */
  async purge(id: string): Promise<void> {
    const k = this.keys;
    const [codeHash, photos] = await this.redis.hmget(k.tip(id), 'codeHash', 'photos');
    const multi = this.redis.multi().del(k.tip(id), k.content(id), k.thread(id), k.notes(id), k.route(id), k.links(id)).zrem(k.index, id);
    if (codeHash) multi.hdel(k.byCode, codeHash);
    for (let n = 0; n < Number(photos ?? 0); n++) multi.del(k.photo(id, n));
    await exec(multi);
  }

  /** Counts an event in a window; returns the count including this one. */
  async count(purpose: string, hashed: string, windowSeconds: number): Promise<number> {
    const key = this.keys.counter(purpose, hashed);
    const [[, count]] = (await exec(this.redis.multi().incr(key).expire(key, windowSeconds, 'NX'))) as [[null, number]];
    return count;
  }

  async peekCount(purpose: string, hashed: string): Promise<number> {
    return Number((await this.redis.get(this.keys.counter(purpose, hashed))) ?? 0);
  }

  /** Drops a remembered fingerprint if it still names `value`. */
  async forget(fingerprint: string, value: string): Promise<void> {
    await this.redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, this.keys.seen(fingerprint), value);
  }

  /** What is remembered under a fingerprint, if anything. */
  async seen(fingerprint: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.seen(fingerprint))) ?? undefined;
  }
}

function flat(fields: Partial<TipRecord>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string | number>;
}

async function exec(multi: ReturnType<Redis['multi']>): Promise<[Error | null, unknown][]> {
  const results = (await multi.exec()) ?? [];
  for (const [err] of results) if (err) throw err;
  return results;
}
