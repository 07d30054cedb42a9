import type { Group, GroupStatus } from '../../groups/schemas.js';
import { html } from '../../platform/http/html.js';
import { csrfField } from '../auth/csrf.js';
import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import { actionButton, banner, GROUPS_PATH, staffLayout, wardTime } from './staff-page.js';

/** Requests waiting for a decision come first: they are what staff open this page for. */
const STATUS_ORDER: Record<GroupStatus, number> = { pending: 0, approved: 1, paused: 2, removed: 3 };

export function groupsInOrder(groups: readonly Group[]): Group[] {
  return [...groups].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
}

export interface GroupsView {
  groups: readonly Group[];
  csrf: string;
  timeZone: string;
  notice?: string | undefined;
  problem?: string | undefined;
  /** The group whose tags were refused, with the text as typed, so it can be corrected rather than retyped. */
  tagsTyped?: { groupId: string; text: string; problem: string } | undefined;
}

function groupCard(page: ConsolePage, group: Group, view: GroupsView) {
  const { t } = page;
  const path = `${GROUPS_PATH}/${encodeURIComponent(group.id)}`;
  const typed = view.tagsTyped?.groupId === group.id ? view.tagsTyped : undefined;
  const tagsId = `tags-${group.id}`;
  const buttons = [
    group.status === 'pending' ? actionButton(page, view.csrf, `${path}/approve`, t('console:staff.groups.approve')) : '',
    group.status === 'approved' ? actionButton(page, view.csrf, `${path}/pause`, t('console:staff.groups.pause')) : '',
    group.status === 'paused' ? actionButton(page, view.csrf, `${path}/resume`, t('console:staff.groups.resume')) : '',
  ];
  return html`<section class="card" aria-labelledby="name-${group.id}">
<h2 id="name-${group.id}">${group.name}</h2>
<dl>
<dt>${t('console:staff.groups.status')}</dt><dd>${t(`console:staff.groupStatus.${group.status}`)}${group.unreachable ? html` — ${t('console:staff.groups.unreachable', { reason: group.unreachable })}` : ''}</dd>
<dt>${t('console:staff.groups.platform')}</dt><dd>${group.platform}</dd>
<dt>${t('console:staff.groups.tags')}</dt><dd>${group.tags.length > 0 ? group.tags.join(', ') : t('console:staff.groups.noTags')}</dd>
<dt>${t('console:staff.groups.registered')}</dt><dd>${wardTime(group.registeredAt, view.timeZone)}</dd>
<dt>${t('console:staff.groups.id')}</dt><dd>${group.id}</dd>
</dl>
<div class="actions">${buttons}</div>
<form method="post" action="${inLanguage(`${path}/tags`, page.locale)}">
${csrfField(view.csrf)}
<label for="${tagsId}">${t('console:staff.groups.setTags')}</label>
<p class="hint" id="${tagsId}-hint">${t('console:staff.groups.tagsHint')}</p>
${typed ? html`<p class="field-problem" id="${tagsId}-problem">${typed.problem}</p>` : ''}
<input id="${tagsId}" name="tags" type="text" autocapitalize="none" spellcheck="false" value="${typed?.text ?? group.tags.join(', ')}" aria-describedby="${tagsId}-hint${typed ? html` ${tagsId}-problem` : ''}"${typed ? html` aria-invalid="true"` : ''}>
<button type="submit">${t('console:staff.groups.saveTags')}</button>
</form>
</section>`;
}

export function groupsPage(page: ConsolePage, view: GroupsView): string {
  const { t } = page;
  const pending = view.groups.filter((g) => g.status === 'pending').length;
  return staffLayout(
    page,
    t('console:staff.groups.title'),
    GROUPS_PATH,
    html`<h1>${t('console:staff.groups.title')}</h1>
${banner(view)}
<p>${t('console:staff.groups.summary', { count: view.groups.length, pending })}</p>
${view.groups.length === 0 ? html`<p>${t('console:staff.groups.none')}</p>` : groupsInOrder(view.groups).map((g) => groupCard(page, g, view))}`,
  );
}
