import type { Redis } from 'ioredis';
import { z } from 'zod';

export const auditEntrySchema = z.object({
  actor: z.string().min(1),
  action: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/, 'expected a dotted action name such as user.created'),
  subject: z.string().min(1),
  /** Facts about the change; never message content or anything that identifies a tipster. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});
export type AuditInput = z.input<typeof auditEntrySchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema> & { id: string; at: string };

/**
 * Appends an entry (KEYS: the stream, its action's index, its subject's index; ARGV: at, actor, action, subject,
 * details, at in ms) and indexes it in the same step, so that no entry the stream holds is missing from an index.
 */
const RECORD = `
local id = redis.call('XADD', KEYS[1], '*', 'at', ARGV[1], 'actor', ARGV[2], 'action', ARGV[3], 'subject', ARGV[4], 'details', ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[6], id)
redis.call('ZADD', KEYS[3], ARGV[6], id)
return id`;

export const auditKeys = (prefix: string) => ({
  stream: `${prefix}:audit`,
  /** The stream ids of one action's entries, scored by the time of the entry (ms). */
  byAction: (action: string) => `${prefix}:audit:action:${action}`,
  /** The stream ids of the entries about one subject (e.g. `tip:<id>`), scored likewise. */
  bySubject: (subject: string) => `${prefix}:audit:subject:${subject}`,
  /** Set once every entry recorded before the indexes existed has been added to them. */
  indexBuilt: `${prefix}:audit:index-built`,
});

/**
 * The append-only record of who changed what and when, kept in one Redis stream, with indexes of the entries of each
 * action and about each subject, so that a report or a tip's page reads the few entries it needs rather than the
 * whole stream.
 */
export class AuditLog {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = auditKeys(prefix);
  }

  async record(input: AuditInput): Promise<string> {
    const entry = auditEntrySchema.parse(input);
    const at = this.now();
    const keys = [this.keys.stream, this.keys.byAction(entry.action), this.keys.bySubject(entry.subject)];
    const fields = [at.toISOString(), entry.actor, entry.action, entry.subject, JSON.stringify(entry.details), at.getTime()];
    return (await this.redis.eval(RECORD, keys.length, ...keys, ...fields)) as string;
  }

  /** Newest first. */
  async latest(count: number): Promise<AuditEntry[]> {
    const rows = await this.redis.xrevrange(this.keys.stream, '+', '-', 'COUNT', count);
    return rows.map(entryOf);
  }

  /** Every entry of these actions, oldest first (in the order they were recorded). */
  async withActions(actions: readonly string[]): Promise<AuditEntry[]> {
    return this.indexed([...new Set(actions)].map((action) => this.keys.byAction(action)));
  }

  /** Every entry about a subject (e.g. `tip:<id>`), oldest first. */
  async about(subject: string): Promise<AuditEntry[]> {
    return this.indexed([this.keys.bySubject(subject)]);
  }

  private async indexed(indexKeys: readonly string[]): Promise<AuditEntry[]> {
    await this.buildIndexesOnce();
    const ids = (await Promise.all(indexKeys.map((key) => this.redis.zrange(key, 0, -1)))).flat();
    const found: AuditEntry[] = [];
    for (let i = 0; i < ids.length; i += SCAN_PAGE) {
      const pipeline = this.redis.pipeline();
      for (const id of ids.slice(i, i + SCAN_PAGE)) pipeline.xrange(this.keys.stream, id, id);
      for (const [err, rows] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        // An id whose entry is gone (the stream trimmed by hand) is skipped.
        for (const row of rows as [string, string[]][]) found.push(entryOf(row));
      }
    }
    return found.sort((a, b) => compareStreamIds(a.id, b.id));
  }

  /**
   * Adds the entries recorded before the indexes existed, once per datastore: it walks the stream and indexes each
   * entry (indexing one twice changes nothing, so a run cut short, or two at once, are harmless), then marks it done.
   * A process of an earlier version still recording after the mark would leave its entries out, so an upgrade
   * restarts every process of the service together (README, Operations).
   */
  private async buildIndexesOnce(): Promise<void> {
    if (await this.redis.exists(this.keys.indexBuilt)) return;
    for (let start = '-'; ; ) {
      const rows = await this.redis.xrange(this.keys.stream, start, '+', 'COUNT', SCAN_PAGE);
      if (rows.length > 0) {
        const pipeline = this.redis.pipeline();
        for (const row of rows) {
          const entry = entryOf(row);
          const score = Date.parse(entry.at) || 0;
          pipeline.zadd(this.keys.byAction(entry.action), score, entry.id).zadd(this.keys.bySubject(entry.subject), score, entry.id);
        }
        await pipeline.exec();
      }
      if (rows.length < SCAN_PAGE) break;
      start = `(${rows.at(-1)![0]}`;
    }
    await this.redis.set(this.keys.indexBuilt, '1');
  }
}

/** Stream ids ("<ms>-<seq>") in the order Redis gave them. */
function compareStreamIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

const SCAN_PAGE = 1000;

function entryOf([id, flat]: [string, string[]]): AuditEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
  return {
    id,
    at: f.at ?? '',
    actor: f.actor ?? '',
    action: f.action ?? '',
    subject: f.subject ?? '',
    details: JSON.parse(f.details ?? '{}'),
  };
}
