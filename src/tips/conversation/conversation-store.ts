import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Platform } from '../../channels/channel.js';
import { localeSchema, type Locale } from '../../platform/config.js';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';
import { tipCategorySchema } from '../schemas.js';

export const TIP_STEPS = ['category', 'where', 'when', 'what', 'photo', 'confirm', 'sent'] as const;
export type TipStep = (typeof TIP_STEPS)[number];

/** A tip being written in a chat. `sent` holds the receipt code only until the person has been told it. */
export const tipDraftSchema = z.object({
  step: z.enum(TIP_STEPS),
  locale: localeSchema,
  /** Whether `locale` was read from the person's own words rather than taken from the ward's default. */
  languageKnown: z.boolean(),
  category: tipCategorySchema.optional(),
  where: z.string().optional(),
  when: z.string().optional(),
  what: z.string().optional(),
  photos: z.number().int().nonnegative(),
  code: z.string().optional(),
});
export type TipDraft = z.infer<typeof tipDraftSchema>;

export interface ChatRef {
  platform: Platform;
  chatId: string;
}

/** Half an hour without an answer ends a draft; everything in it is then gone. */
export const DRAFT_TTL_MS = 30 * 60 * 1000;
/**
 * After a draft expired, the next message gets a word about it rather than being taken as a question. The marker
 * holds nothing but the person's language, and is forgotten after this long.
 */
const EXPIRED_NOTICE_MS = 12 * 3600 * 1000;
/** Longer than the slowest step (a photo download); a crashed holder's lock lapses after it. */
const LOCK_MS = 30_000;
const LOCK_WAIT_MS = 20_000;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class ConversationBusyError extends Error {
  constructor() {
    super('another message of the same tip conversation is being handled');
    this.name = 'ConversationBusyError';
  }
}

/**
 * Drafts of tips in Redis, sealed, each under a keyed hash of its chat (never the chat id itself), expiring after
 * `ttlMs` without an answer. Photos wait sealed beside the draft, already stripped of their metadata.
 */
export class ConversationStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly box: SealedBox,
    readonly ttlMs: number = DRAFT_TTL_MS,
  ) {}

  private keys(chat: ChatRef) {
    const base = `${this.prefix}:conversations:tip-draft:${this.box.hash('chat', `${chat.platform}:${chat.chatId}`)}`;
    return { draft: base, photos: `${base}:photos`, open: `${base}:open`, lock: `${base}:lock` };
  }

  async get(chat: ChatRef): Promise<TipDraft | undefined> {
    const key = this.keys(chat).draft;
    const sealed = await this.redis.get(key);
    return sealed === null ? undefined : tipDraftSchema.parse(this.box.openJson(sealed, key));
  }

  /** Saves the draft and gives it (and its photos) the full time again. */
  async save(chat: ChatRef, draft: TipDraft): Promise<void> {
    const k = this.keys(chat);
    const results = await this.redis
      .multi()
      .set(k.draft, this.box.sealJson(tipDraftSchema.parse(draft), k.draft), 'PX', this.ttlMs)
      .pexpire(k.photos, this.ttlMs)
      .set(k.open, draft.locale, 'PX', EXPIRED_NOTICE_MS)
      .exec();
    for (const [err] of results ?? []) if (err) throw err;
  }

  /** Keeps photo number `n` (from 0); handling the same message again replaces it rather than adding a copy. */
  async putPhoto(chat: ChatRef, n: number, photo: Buffer): Promise<void> {
    const k = this.keys(chat);
    const results = await this.redis.multi().hset(k.photos, String(n), this.box.seal(photo, `${k.photos}:${n}`)).pexpire(k.photos, this.ttlMs).exec();
    for (const [err] of results ?? []) if (err) throw err;
  }

  /** The first `count` photos, in the order they were sent. */
  async photos(chat: ChatRef, count: number): Promise<Buffer[]> {
    if (count === 0) return [];
    const k = this.keys(chat);
    const sealed = await this.redis.hmget(k.photos, ...Array.from({ length: count }, (_, n) => String(n)));
    return sealed.flatMap((value, n) => (value === null ? [] : [this.box.open(value, `${k.photos}:${n}`)]));
  }

  async dropPhotos(chat: ChatRef): Promise<void> {
    await this.redis.del(this.keys(chat).photos);
  }

  /** The language of this chat's draft, or of one that timed out unfinished not long ago; undefined when none. */
  async recentLocale(chat: ChatRef): Promise<Locale | undefined> {
    const parsed = localeSchema.safeParse(await this.redis.get(this.keys(chat).open));
    return parsed.success ? parsed.data : undefined;
  }

  /** Forgets the draft, its photos and that there was one. */
  async clear(chat: ChatRef): Promise<void> {
    const k = this.keys(chat);
    await this.redis.del(k.draft, k.photos, k.open);
  }

  /**
   * Runs `work` while no other message of the same chat is handled: several photos sent at once arrive as several
   * messages, handled in parallel, and each must see the draft the previous one left.
   */
  async withLock<T>(chat: ChatRef, work: () => Promise<T>): Promise<T> {
    const { lock } = this.keys(chat);
    const token = randomBytes(12).toString('hex');
    const deadline = Date.now() + LOCK_WAIT_MS;
    while ((await this.redis.set(lock, token, 'PX', LOCK_MS, 'NX')) === null) {
      if (Date.now() > deadline) throw new ConversationBusyError();
      await sleep(50);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, lock, token);
    }
  }
}
