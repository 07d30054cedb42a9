import type { GroupRegistry } from '../groups/group-registry.js';
import type { Group } from '../groups/schemas.js';
import type { GroupSkip, PlanEntry, Target } from './schemas.js';

export interface ResolvedTargets {
  send: Group[];
  /** Groups named explicitly that cannot receive it, each with the reason. */
  skipped: PlanEntry[];
}

const SKIP_BY_STATUS: Record<Exclude<Group['status'], 'approved'>, GroupSkip> = {
  pending: 'group-pending',
  paused: 'group-paused',
  removed: 'group-removed',
};

/**
 * The groups a target reaches now: approved ones, by tag, by platform or by name. A group the bot was removed from
 * is skipped with that reason until it registers again.
 */
export async function resolveTargets(target: Target, groups: GroupRegistry): Promise<ResolvedTargets> {
  const skipped: PlanEntry[] = [];
  let candidates: Group[];
  if (target.kind === 'groups') {
    candidates = [];
    for (const id of new Set(target.ids)) {
      const group = await groups.get(id);
      if (!group) skipped.push({ groupId: id, skip: 'group-missing' });
      else if (group.status !== 'approved') skipped.push({ groupId: id, skip: SKIP_BY_STATUS[group.status] });
      else candidates.push(group);
    }
  } else {
    const approved = await groups.list({ status: 'approved', ...(target.kind === 'platform' ? { platform: target.platform } : {}) });
    candidates = target.kind === 'tags' ? approved.filter((g) => g.tags.some((tag) => target.tags.includes(tag))) : approved;
  }
  const send: Group[] = [];
  for (const group of candidates) {
    if (group.unreachable) skipped.push({ groupId: group.id, skip: 'unreachable' });
    else send.push(group);
  }
  return { send, skipped };
}
