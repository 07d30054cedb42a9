import type { Redis } from 'ioredis';
import { z } from 'zod';
import { chatKindSchema, type ChatKind } from '../channel.js';

export const transcriptEntrySchema = z.object({
  from: z.enum(['resident', 'bot']),
  name: z.string().optional(),
  text: z.string(),
  photoUrl: z.string().optional(),
  at: z.string(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

export const sandboxChatSchema = z.object({ id: z.string(), kind: chatKindSchema, title: z.string() });
export type SandboxChat = z.infer<typeof sandboxChatSchema>;

const KEEP = 200;

/** What was said in each sandbox chat, both ways; the demo's stand-in for a phone screen. */
export class SandboxStore {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = { chats: `${prefix}:sandbox:chats`, transcript: (chatId: string) => `${prefix}:sandbox:chat:${chatId}` };
  }

  /** Chat ids are derived from what the person typed, so the same name always opens the same chat. */
  static chatIdFor(kind: ChatKind, title: string): string {
    const slug = title.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return `${kind}-${slug || 'chat'}`;
  }

  async openChat(chat: SandboxChat): Promise<void> {
    await this.redis.hset(this.keys.chats, chat.id, JSON.stringify(chat));
  }

  async chats(): Promise<SandboxChat[]> {
    const all = Object.values(await this.redis.hgetall(this.keys.chats));
    return all.map((raw) => sandboxChatSchema.parse(JSON.parse(raw))).sort((a, b) => a.title.localeCompare(b.title, 'vi'));
  }

  async chat(id: string): Promise<SandboxChat | undefined> {
    const raw = await this.redis.hget(this.keys.chats, id);
    return raw === null ? undefined : sandboxChatSchema.parse(JSON.parse(raw));
  }

  /** Appends an entry; returns its 1-based position, which doubles as a message id. */
  async append(chatId: string, entry: Omit<TranscriptEntry, 'at'>): Promise<number> {
    const key = this.keys.transcript(chatId);
    const [[, length]] = (await this.redis
      .multi()
      .rpush(key, JSON.stringify({ ...entry, at: this.now().toISOString() }))
      .ltrim(key, -KEEP, -1)
      .exec()) as [[Error | null, number]];
    return length;
  }

  async transcript(chatId: string): Promise<TranscriptEntry[]> {
    const raws = await this.redis.lrange(this.keys.transcript(chatId), 0, -1);
    return raws.map((raw) => transcriptEntrySchema.parse(JSON.parse(raw)));
  }
}
