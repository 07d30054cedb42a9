import type { Actor } from '../accounts/actor.js';
import type { Role } from '../accounts/schemas.js';
import { DomainError } from '../platform/domain-error.js';

export type BroadcastAction = 'read' | 'change' | 'approve';

/**
 * Staff plan broadcasts and approvers approve them; the admin may do everything but approve, so no single account
 * both writes and releases a message to every group. Police work on tips, not broadcasts.
 */
const ALLOWED: Record<BroadcastAction, readonly Role[]> = {
  read: ['staff', 'approver', 'admin'],
  change: ['staff', 'approver', 'admin'],
  approve: ['approver'],
};

export function ensureAllowed(actor: Actor, action: BroadcastAction): void {
  if (!ALLOWED[action].includes(actor.role)) throw new DomainError('forbidden', 'broadcasts:errors.forbidden', { role: actor.role, action });
}
