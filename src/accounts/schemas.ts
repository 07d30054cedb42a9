import { z } from 'zod';

export const ROLES = ['admin', 'staff', 'approver', 'police'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
/** Roles that see tips or manage accounts cannot sign in to the console on a password alone. */
export const SECOND_FACTOR_ROLES: readonly Role[] = ['police', 'admin'];

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'expected 3-32 lowercase letters, digits, ".", "_" or "-"');

export const passwordSchema = z
  .string()
  .min(12, 'expected at least 12 characters')
  .max(256, 'expected at most 256 characters');

export const newUserSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(80),
  role: roleSchema,
  password: passwordSchema,
});
export type NewUser = z.input<typeof newUserSchema>;

export const userRecordSchema = z.object({
  username: usernameSchema,
  displayName: z.string(),
  role: roleSchema,
  status: z.enum(['active', 'disabled']),
  passwordHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserRecord = z.infer<typeof userRecordSchema>;
export type UserSummary = Omit<UserRecord, 'passwordHash'>;
