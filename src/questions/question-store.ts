import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import { questionRecordSchema, replyRouteSchema, type QuestionRecord, type QuestionStatus, type ReplyRoute } from './schemas.js';

export const questionKeys = (prefix: string) => ({
  question: (id: string) => `${prefix}:questions:question:${id}`,
  text: (id: string) => `${prefix}:questions:text:${id}`,
  answer: (id: string) => `${prefix}:questions:answer:${id}`,
  /** The chat to answer in, sealed and apart from the question. */
  route: (id: string) => `${prefix}:questions:route:${id}`,
  /** Every question by when it was asked. */
  index: `${prefix}:questions:index`,
  counter: (hashedChat: string) => `${prefix}:questions:count:${hashedChat}`,
  /** Questions the knowledge base answered by itself, per day on the ward's clock ("YYYY-MM-DD" → count). */
  answeredAutomatically: `${prefix}:questions:answered-automatically`,
  seen: (fingerprint: string) => `${prefix}:questions:seen:${fingerprint}`,
});
export type QuestionKeys = ReturnType<typeof questionKeys>;

export interface StoredQuestion {
  record: QuestionRecord;
  text: string;
  route: ReplyRoute;
}

/** A status change, made only if the question is in one of the `from` statuses at that moment. */
export interface Transition {
  from: readonly QuestionStatus[];
  set: Partial<QuestionRecord>;
  unset?: readonly (keyof QuestionRecord)[];
  /** The staff's answer, to keep (sealed) or to drop with the change. */
  answer?: { keep: string } | 'drop';
}

export type TransitionResult = { done: true } | { done: false; status: QuestionStatus | undefined };

/**
 * Checks the status and changes it in one step, so two staff answering the same question at once cannot both
 * send an answer. Answers `ok`, the status that refused the change, or nil when there is no such question.
 */
const TRANSITION_SCRIPT = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return false end
local allowed = false
for _, s in ipairs(cjson.decode(ARGV[1])) do if s == status then allowed = true end end
if not allowed then return status end
for field, value in pairs(cjson.decode(ARGV[2])) do redis.call('HSET', KEYS[1], field, value) end
for _, field in ipairs(cjson.decode(ARGV[3])) do redis.call('HDEL', KEYS[1], field) end
if ARGV[4] == 'keep' then redis.call('SET', KEYS[2], ARGV[5]) elseif ARGV[4] == 'drop' then redis.call('DEL', KEYS[2]) end
return 'ok'
`;

const statusOrMissing = z.union([z.literal('ok'), questionRecordSchema.shape.status, z.null()]);

/**
 * Residents' questions in Redis. What was asked, the answer and the chat to answer in are sealed (AES-256-GCM,
 * bound to their key); the record in clear holds only the status, why the question came and when things happened.
 */
export class QuestionStore {
  readonly keys: QuestionKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly box: SealedBox,
  ) {
    this.keys = questionKeys(prefix);
  }

  /** The question and its repeat mark in one transaction: a question that was not stored leaves no mark behind. */
  async create({ record, text, route }: StoredQuestion, repeatMark: { fingerprint: string; seconds: number }): Promise<void> {
    const k = this.keys;
    await exec(
      this.redis
        .multi()
        .hset(k.question(record.id), flat(record))
        .set(k.text(record.id), this.box.sealJson(text, k.text(record.id)))
        .set(k.route(record.id), this.box.sealJson(route, k.route(record.id)))
        .zadd(k.index, Date.parse(record.createdAt), record.id)
        .set(k.seen(repeatMark.fingerprint), '1', 'EX', repeatMark.seconds),
    );
  }

  async record(id: string): Promise<QuestionRecord | undefined> {
    const raw = await this.redis.hgetall(this.keys.question(id));
    return Object.keys(raw).length === 0 ? undefined : questionRecordSchema.parse(raw);
  }

  /** Oldest first. */
  async records(): Promise<QuestionRecord[]> {
    const ids = await this.redis.zrange(this.keys.index, 0, -1);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.question(id));
    return ((await pipeline.exec()) ?? []).flatMap(([err, raw]) => {
      if (err) throw err;
      const fields = raw as Record<string, string>;
      return Object.keys(fields).length === 0 ? [] : [questionRecordSchema.parse(fields)];
    });
  }

  async text(id: string): Promise<string> {
    return z.string().parse(this.box.openJson(await this.sealed(this.keys.text(id)), this.keys.text(id)));
  }

  async route(id: string): Promise<ReplyRoute> {
    return replyRouteSchema.parse(this.box.openJson(await this.sealed(this.keys.route(id)), this.keys.route(id)));
  }

  async answer(id: string): Promise<string | undefined> {
    const key = this.keys.answer(id);
    const sealed = await this.redis.get(key);
    return sealed === null ? undefined : z.string().parse(this.box.openJson(sealed, key));
  }

  async transition(id: string, change: Transition): Promise<TransitionResult> {
    const answerKey = this.keys.answer(id);
    const answer = change.answer === undefined ? ['', ''] : change.answer === 'drop' ? ['drop', ''] : ['keep', this.box.sealJson(change.answer.keep, answerKey)];
    const outcome = statusOrMissing.parse(
      await this.redis.eval(TRANSITION_SCRIPT, 2, this.keys.question(id), answerKey, JSON.stringify(change.from), JSON.stringify(flat(change.set)), JSON.stringify(change.unset ?? []), ...answer),
    );
    return outcome === 'ok' ? { done: true } : { done: false, status: outcome ?? undefined };
  }

  /** Counts a queued question in a window that starts with the first; returns the count including this one. */
  async count(hashedChat: string, windowSeconds: number): Promise<number> {
    const key = this.keys.counter(hashedChat);
    const [[, count]] = (await exec(this.redis.multi().incr(key).expire(key, windowSeconds, 'NX'))) as [[null, number]];
    return count;
  }

  /** Takes back a count for a question that was not queued after all. */
  async uncount(hashedChat: string): Promise<void> {
    await this.redis.decr(this.keys.counter(hashedChat));
  }

  /** Only a count: which question was asked and in which chat stays unrecorded, as for any answered question. */
  async countAnsweredAutomatically(day: string): Promise<void> {
    await this.redis.hincrby(this.keys.answeredAutomatically, day, 1);
  }

  /** How many questions the knowledge base answered on these days, together. */
  async answeredAutomatically(days: readonly string[]): Promise<number> {
    if (days.length === 0) return 0;
    return (await this.redis.hmget(this.keys.answeredAutomatically, ...days)).reduce((sum, count) => sum + Number(count ?? 0), 0);
  }

  async seen(fingerprint: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.seen(fingerprint))) === 1;
  }

  private async sealed(key: string): Promise<string> {
    const sealed = await this.redis.get(key);
    if (sealed === null) throw new Error(`question data missing at ${key}`);
    return sealed;
  }
}

function flat(fields: Partial<QuestionRecord>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

async function exec(multi: ReturnType<Redis['multi']>): Promise<[Error | null, unknown][]> {
  const results = (await multi.exec()) ?? [];
  for (const [err] of results) if (err) throw err;
  return results;
}
