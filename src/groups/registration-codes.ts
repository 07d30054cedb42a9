import { createHash } from 'node:crypto';
import { normaliseCode, randomCrockford } from '../platform/crockford.js';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { registrationRequestSchema, tagSchema, groupNameSchema, type RegistrationRequest } from './schemas.js';

const CODE_LENGTH = 10;

const pendingSchema = z.object({ name: groupNameSchema, tags: z.array(tagSchema) });
export type PendingRegistration = z.infer<typeof pendingSchema>;

/**
 * One-time codes ward staff hand to a group's admin, who sends `/dangky <code>` in the group. A code names the
 * tổ dân phố and its tags, expires, and works once. Only a hash of the code is stored.
 */
export class RegistrationCodes {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(code: string): string {
    return `${this.prefix}:groups:code:${createHash('sha256').update(normaliseCode(code)).digest('hex')}`;
  }

  async issue(request: RegistrationRequest): Promise<{ code: string; expiresAt: Date }> {
    const { name, tags, ttlHours } = registrationRequestSchema.parse(request);
    const raw = randomCrockford(CODE_LENGTH);
    const code = `${raw.slice(0, 5)}-${raw.slice(5)}`;
    await this.redis.set(this.key(code), JSON.stringify({ name, tags }), 'EX', ttlHours * 3600);
    return { code, expiresAt: new Date(Date.now() + ttlHours * 3600 * 1000) };
  }

  /** Uses the code up; undefined when it is unknown, used or expired. */
  async redeem(code: string): Promise<PendingRegistration | undefined> {
    const raw = await this.redis.getdel(this.key(code));
    return raw === null ? undefined : pendingSchema.parse(JSON.parse(raw));
  }
}
