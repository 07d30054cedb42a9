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

export const auditKeys = (prefix: string) => ({ stream: `${prefix}:audit` });

/** The append-only record of who changed what and when, kept in one Redis stream. */
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
    const id = await this.redis.xadd(
      this.keys.stream,
      '*',
      'at', this.now().toISOString(),
      'actor', entry.actor,
      'action', entry.action,
      'subject', entry.subject,
      'details', JSON.stringify(entry.details),
    );
    return id as string;
  }

  /** Newest first. */
  async latest(count: number): Promise<AuditEntry[]> {
    const rows = await this.redis.xrevrange(this.keys.stream, '+', '-', 'COUNT', count);
    return rows.map(entryOf);
  }

  /**
   * Every entry of these actions, oldest first. It reads the whole stream page by page, for reports: the times that
   * matter are the entries' own `at` and details, which the stream ids (the server's clock) need not match.
   */
  async withActions(actions: readonly string[]): Promise<AuditEntry[]> {
    const wanted = new Set(actions);
    const found: AuditEntry[] = [];
    for (let start = '-'; ; ) {
      const rows = await this.redis.xrange(this.keys.stream, start, '+', 'COUNT', SCAN_PAGE);
      for (const row of rows) {
        const entry = entryOf(row);
        if (wanted.has(entry.action)) found.push(entry);
      }
      if (rows.length < SCAN_PAGE) return found;
      start = `(${rows.at(-1)![0]}`;
    }
  }
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
