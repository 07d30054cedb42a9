import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditLog } from '../audit/audit-log.js';
import type { Platform } from '../channels/channel.js';
import { groupSchema, tagSchema, type Group, type GroupStatus } from './schemas.js';

export class GroupNotFoundError extends Error {
  readonly code = 'GROUP_NOT_FOUND';
  constructor(readonly id: string) {
    super(`There is no group ${id}.`);
  }
}

export interface GroupFilter {
  status?: GroupStatus;
  tag?: string;
  platform?: Platform;
}

/** Which chat each registered tổ dân phố group is, its tags, and whether broadcasts may go to it. */
export class GroupRegistry {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = {
      group: (id: string) => `${prefix}:groups:group:${id}`,
      all: `${prefix}:groups:all`,
      byChat: `${prefix}:groups:by-chat`,
    };
  }

  async findByChat(platform: Platform, chatId: string): Promise<Group | undefined> {
    const id = await this.redis.hget(this.keys.byChat, `${platform}:${chatId}`);
    return id ? this.get(id) : undefined;
  }

  async get(id: string): Promise<Group | undefined> {
    const raw = await this.redis.get(this.keys.group(id));
    return raw === null ? undefined : groupSchema.parse(JSON.parse(raw));
  }

  private async require(id: string): Promise<Group> {
    const group = await this.get(id);
    if (!group) throw new GroupNotFoundError(id);
    return group;
  }

  /** A group registered by its admin; it waits for staff approval before any broadcast reaches it. */
  async register(input: { platform: Platform; chatId: string; name: string; tags: string[] }, actor: string): Promise<Group> {
    const existing = await this.findByChat(input.platform, input.chatId);
    const at = this.now().toISOString();
    const group = groupSchema.parse({
      id: existing?.id ?? `g-${randomBytes(5).toString('hex')}`,
      platform: input.platform,
      chatId: input.chatId,
      name: input.name,
      tags: input.tags,
      status: existing?.status === 'approved' || existing?.status === 'paused' ? existing.status : 'pending',
      registeredAt: existing?.registeredAt ?? at,
      updatedAt: at,
    });
    await this.redis
      .multi()
      .set(this.keys.group(group.id), JSON.stringify(group))
      .sadd(this.keys.all, group.id)
      .hset(this.keys.byChat, `${group.platform}:${group.chatId}`, group.id)
      .exec();
    await this.audit.record({ actor, action: 'group.registered', subject: `group:${group.id}`, details: { name: group.name, platform: group.platform } });
    return group;
  }

  async list(filter: GroupFilter = {}): Promise<Group[]> {
    const ids = await this.redis.smembers(this.keys.all);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.group(id)));
    return raws
      .filter((raw): raw is string => raw !== null)
      .map((raw) => groupSchema.parse(JSON.parse(raw)))
      .filter((g) => (!filter.status || g.status === filter.status) && (!filter.tag || g.tags.includes(filter.tag)) && (!filter.platform || g.platform === filter.platform))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.id.localeCompare(b.id));
  }

  private async update(id: string, change: (g: Group) => Partial<Group>, actor: string, action: string, details: Record<string, string> = {}): Promise<Group> {
    const group = await this.require(id);
    const next = groupSchema.parse({ ...group, ...change(group), updatedAt: this.now().toISOString() });
    await this.redis.set(this.keys.group(id), JSON.stringify(next));
    await this.audit.record({ actor, action, subject: `group:${id}`, details });
    return next;
  }

  approve(id: string, actor: string): Promise<Group> {
    return this.update(id, () => ({ status: 'approved', unreachable: undefined }), actor, 'group.approved');
  }

  pause(id: string, actor: string): Promise<Group> {
    return this.update(id, () => ({ status: 'paused' }), actor, 'group.paused');
  }

  resume(id: string, actor: string): Promise<Group> {
    return this.update(id, () => ({ status: 'approved' }), actor, 'group.resumed');
  }

  async setTags(id: string, tags: string[], actor: string): Promise<Group> {
    const valid = tags.map((t) => tagSchema.parse(t));
    return this.update(id, () => ({ tags: [...new Set(valid)] }), actor, 'group.tagged', { tags: valid.join(',') });
  }

  /** The platform said the bot is no longer in this group: broadcasts skip it until it registers again. */
  async markUnreachable(platform: Platform, chatId: string, reason: string): Promise<void> {
    const group = await this.findByChat(platform, chatId);
    if (group && group.unreachable !== reason) {
      await this.update(group.id, () => ({ unreachable: reason }), `platform:${platform}`, 'group.unreachable', { reason });
    }
  }

  /** Stops all sending to the group; its record stays for reports. */
  async remove(id: string, actor: string): Promise<Group> {
    const group = await this.update(id, () => ({ status: 'removed' }), actor, 'group.removed');
    await this.redis.hdel(this.keys.byChat, `${group.platform}:${group.chatId}`);
    return group;
  }
}
