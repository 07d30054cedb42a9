import { ZodError } from 'zod';
import { UserExistsError, UserNotFoundError } from '../accounts/user-store.js';
import { GroupNotFoundError } from '../groups/group-registry.js';
import { ConfigError } from '../platform/config.js';
import { DomainError, type Problem } from '../platform/domain-error.js';
import type { TFunction } from '../platform/i18n.js';
import { RedisServerMissingError, RedisStartError } from '../platform/redis/managed-redis.js';
import { RedisUnreachableError } from '../platform/redis/datastore.js';

/** A message already worded for the operator. */
export class CliError extends Error {}

/** One complaint about one field, as `field: what is wrong`. */
export function describeProblem(problem: Problem, t: TFunction): string {
  return `${problem.field}: ${t(problem.key, problem.params)}`;
}

/** Turns what a command threw into lines an operator can act on; nothing here prints a secret or a stack. */
export function explain(err: unknown, t: TFunction): string[] {
  if (err instanceof CliError) return [err.message];
  if (err instanceof ConfigError) return [...err.problems];
  if (err instanceof DomainError) return [t(err.key, err.params), ...err.problems.map((p) => describeProblem(p, t))];
  if (err instanceof ZodError) {
    return err.issues.map((i) => t('cli:errors.invalidInput', { field: i.path.join('.') || 'input', problem: i.message }));
  }
  if (err instanceof UserExistsError) return [t('cli:errors.userExists', { username: err.username })];
  if (err instanceof UserNotFoundError) return [t('cli:errors.userNotFound', { username: err.username })];
  if (err instanceof GroupNotFoundError) return [t('cli:errors.groupNotFound', { id: err.id })];
  if (err instanceof RedisServerMissingError || err instanceof RedisStartError || err instanceof RedisUnreachableError) {
    return [err.message];
  }
  return [t('cli:errors.unexpected', { message: err instanceof Error ? err.message : String(err) })];
}
