import { z } from 'zod';
import { platformSchema } from '../channels/channel.js';

export const GROUP_STATUSES = ['pending', 'approved', 'paused', 'removed'] as const;
export const groupStatusSchema = z.enum(GROUP_STATUSES);
export type GroupStatus = z.infer<typeof groupStatusSchema>;

export const tagSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected lowercase letters, digits and "-" (e.g. tdp-5, khu-a)');
export const groupNameSchema = z.string().trim().min(1, 'expected a name').max(120, 'expected at most 120 characters');

export const groupSchema = z.object({
  id: z.string(),
  platform: platformSchema,
  chatId: z.string(),
  name: groupNameSchema,
  tags: z.array(tagSchema),
  status: groupStatusSchema,
  /** Why sending stopped, when the platform said the bot was removed. */
  unreachable: z.string().optional(),
  registeredAt: z.string(),
  updatedAt: z.string(),
});
export type Group = z.infer<typeof groupSchema>;

export const registrationRequestSchema = z.object({
  name: groupNameSchema,
  tags: z.array(tagSchema).default([]),
  ttlHours: z.number().int().min(1).max(24 * 30).default(72),
});
export type RegistrationRequest = z.input<typeof registrationRequestSchema>;
