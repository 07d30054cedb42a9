import type { Role } from '../../accounts/schemas.js';
import type { DeliveryRow, OccurrenceSummary } from '../../broadcasts/delivery-report.js';
import type { PreviewText } from '../../broadcasts/preview.js';
import type { Occurrence, Schedule } from '../../broadcasts/schemas.js';
import type { Group } from '../../groups/schemas.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import { contentText, targetText, timingText } from './schedule-summary.js';
import { actionButton, banner, BROADCASTS_PATH, staffLayout, wardTime } from './staff-page.js';

export const schedulePath = (id: string) => `${BROADCASTS_PATH}/${encodeURIComponent(id)}`;
export const occurrencePath = (id: string) => `${BROADCASTS_PATH}/occurrences/${encodeURIComponent(id)}`;

export interface BroadcastDetailView {
  schedule: Schedule;
  next: readonly string[];
  occurrences: readonly (Occurrence & { summary: OccurrenceSummary })[];
  previews: readonly PreviewText[];
  viewer: { username: string; role: Role; csrf: string };
  timeZone: string;
  notice?: string | undefined;
  problem?: string | undefined;
}

/** The buttons for what can happen next; approval is offered only to approvers other than the author. */
function actions(page: ConsolePage, view: BroadcastDetailView): SafeHtml {
  const { t } = page;
  const { schedule, viewer } = view;
  const path = schedulePath(schedule.id);
  const button = (action: string) => actionButton(page, viewer.csrf, `${path}/${action}`, t(`broadcasts:actions.${action}`));
  const mayApprove = viewer.role === 'approver' && viewer.username !== schedule.createdBy;
  return html`<div class="actions">
${schedule.status === 'draft' && mayApprove ? button('approve') : ''}
${schedule.status === 'approved' ? button('pause') : ''}
${schedule.status === 'paused' ? button('resume') : ''}
${['draft', 'approved', 'paused'].includes(schedule.status) ? button('cancel') : ''}
</div>
${schedule.status === 'draft' && !mayApprove ? html`<p class="hint">${t('console:staff.detail.needsApprover')}</p>` : ''}`;
}

function summaryText(page: ConsolePage, summary: OccurrenceSummary): string {
  return page.t('console:staff.detail.summary', summary);
}

function occurrenceItem(page: ConsolePage, o: Occurrence & { summary: OccurrenceSummary }, timeZone: string): SafeHtml {
  const { t } = page;
  return html`<li class="card">
<h3><a href="${inLanguage(occurrencePath(o.id), page.locale)}">${wardTime(o.at, timeZone)}</a></h3>
<p>${t(`console:staff.occurrenceStatus.${o.status}`)}${o.reason ? html` — ${t(`broadcasts:skip.${o.reason}`)}` : ''}</p>
<p>${summaryText(page, o.summary)}</p>
</li>`;
}

function previewCard(page: ConsolePage, p: PreviewText): SafeHtml {
  const { t } = page;
  return html`<section class="card">
<h3>${t('console:staff.detail.previewHeading', { item: p.item, language: t(`console:staff.languages.${p.locale}`), platform: p.platform })}</h3>
${p.parts.map((part) => html`<div class="message" lang="${p.locale}">${part}</div>`)}
</section>`;
}

export function broadcastDetailPage(page: ConsolePage, view: BroadcastDetailView): string {
  const { t } = page;
  const { schedule: s, timeZone } = view;
  return staffLayout(
    page,
    s.title,
    schedulePath(s.id),
    html`<p><a href="${inLanguage(BROADCASTS_PATH, page.locale)}">${t('console:staff.detail.back')}</a></p>
<h1>${s.title}</h1>
${banner(view)}
<dl>
<dt>${t('console:staff.broadcasts.status')}</dt><dd>${t(`broadcasts:status.${s.status}`)}${s.urgent ? html` — ${t('console:staff.broadcasts.urgentMark')}` : ''}</dd>
<dt>${t('console:staff.broadcasts.when')}</dt><dd>${timingText(t, s, timeZone)}</dd>
<dt>${t('console:staff.broadcasts.target')}</dt><dd>${targetText(t, s)}</dd>
<dt>${t('console:staff.broadcasts.content')}</dt><dd>${contentText(t, s)}</dd>
<dt>${t('console:staff.broadcasts.createdBy')}</dt><dd>${s.createdBy}, ${wardTime(s.createdAt, timeZone)}</dd>
${s.approvedBy && s.approvedAt ? html`<dt>${t('console:staff.detail.approvedBy')}</dt><dd>${s.approvedBy}, ${wardTime(s.approvedAt, timeZone)}</dd>` : ''}
</dl>
${actions(page, view)}
<h2>${t('console:staff.detail.next')}</h2>
${view.next.length === 0 ? html`<p>${t('console:staff.detail.noNext')}</p>` : html`<ul>${view.next.map((at) => html`<li>${wardTime(at, timeZone)}</li>`)}</ul>`}
<h2>${t('console:staff.detail.occurrences')}</h2>
${view.occurrences.length === 0 ? html`<p>${t('console:staff.detail.noOccurrences')}</p>` : html`<ul class="plain">${view.occurrences.map((o) => occurrenceItem(page, o, timeZone))}</ul>`}
<h2>${t('console:staff.detail.preview')}</h2>
${view.previews.length === 0 ? html`<p>${t('console:staff.detail.noPreview')}</p>` : view.previews.map((p) => previewCard(page, p))}`,
  );
}

export interface OccurrenceView {
  occurrence: Occurrence;
  schedule: Schedule;
  rows: readonly DeliveryRow[];
  groups: ReadonlyMap<string, Group>;
  csrf: string;
  timeZone: string;
  notice?: string | undefined;
}

function deliveryItem(page: ConsolePage, row: DeliveryRow, group: Group | undefined): SafeHtml {
  const { t } = page;
  return html`<li class="card">
<h3>${group?.name ?? row.groupId}</h3>
<p><strong>${t(`console:staff.deliveryStatus.${row.status}`)}</strong>${row.skip ? html` — ${t(`broadcasts:skip.${row.skip}`)}` : ''}</p>
${row.reason ? html`<p>${t('console:staff.occurrence.reason', { reason: row.reason })}</p>` : ''}
${row.item ? html`<p>${t('console:staff.occurrence.item', { item: row.item })}</p>` : ''}
</li>`;
}

/** Each group's delivery of one occurrence, with a way to send the failed ones again. */
export function occurrencePage(page: ConsolePage, view: OccurrenceView): string {
  const { t } = page;
  const { occurrence: o, rows } = view;
  const retryable = rows.some((r) => r.status === 'failed' || r.status === 'unknown');
  const title = t('console:staff.occurrence.title', { title: view.schedule.title, at: wardTime(o.at, view.timeZone) });
  return staffLayout(
    page,
    title,
    occurrencePath(o.id),
    html`<p><a href="${inLanguage(schedulePath(view.schedule.id), page.locale)}">${t('console:staff.occurrence.back', { title: view.schedule.title })}</a></p>
<h1>${title}</h1>
${banner(view)}
<p>${t(`console:staff.occurrenceStatus.${o.status}`)}${o.reason ? html` — ${t(`broadcasts:skip.${o.reason}`)}` : ''}</p>
${retryable ? actionButton(page, view.csrf, `${occurrencePath(o.id)}/retry`, t('console:staff.occurrence.retry')) : ''}
${rows.length === 0 ? html`<p>${t('console:staff.occurrence.none')}</p>` : html`<ul class="plain">${rows.map((r) => deliveryItem(page, r, view.groups.get(r.groupId)))}</ul>`}`,
  );
}
