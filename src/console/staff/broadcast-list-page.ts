import { SCHEDULE_STATUSES, type Schedule, type ScheduleStatus } from '../../broadcasts/schemas.js';
import type { Platform } from '../../channels/channel.js';
import { MESSAGE_TOPICS } from '../../content/schemas.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import { csrfField } from '../auth/csrf.js';
import { inLanguage, type ConsolePage } from '../auth/login-page.js';
import type { BroadcastForm, FormField } from './broadcast-form.js';
import { contentText, targetText, timingText } from './schedule-summary.js';
import { banner, BROADCASTS_PATH, staffLayout } from './staff-page.js';

export interface BroadcastListView {
  schedules: readonly Schedule[];
  status: ScheduleStatus | undefined;
  form: BroadcastForm;
  /** Problems with the posted form, worded already, by the input they belong beside; `form` for the rest. */
  problems: ReadonlyMap<FormField | 'form', string[]>;
  platforms: readonly Platform[];
  csrf: string;
  timeZone: string;
  notice?: string | undefined;
  problem?: string | undefined;
}

function scheduleCard(page: ConsolePage, s: Schedule, timeZone: string): SafeHtml {
  const { t } = page;
  return html`<li class="card">
<h3><a href="${inLanguage(`${BROADCASTS_PATH}/${encodeURIComponent(s.id)}`, page.locale)}">${s.title}</a></h3>
<dl>
<dt>${t('console:staff.broadcasts.status')}</dt><dd>${t(`broadcasts:status.${s.status}`)}${s.urgent ? html` — ${t('console:staff.broadcasts.urgentMark')}` : ''}</dd>
<dt>${t('console:staff.broadcasts.when')}</dt><dd>${timingText(t, s, timeZone)}</dd>
<dt>${t('console:staff.broadcasts.target')}</dt><dd>${targetText(t, s)}</dd>
<dt>${t('console:staff.broadcasts.content')}</dt><dd>${contentText(t, s)}</dd>
<dt>${t('console:staff.broadcasts.createdBy')}</dt><dd>${s.createdBy}</dd>
</dl>
</li>`;
}

function statusFilter(page: ConsolePage, current: ScheduleStatus | undefined): SafeHtml {
  const { t } = page;
  return html`<form method="get" action="${BROADCASTS_PATH}">
<input type="hidden" name="lang" value="${page.locale}">
<label for="status">${t('console:staff.broadcasts.filter')}</label>
<select id="status" name="status">
<option value="">${t('console:staff.broadcasts.allStatuses')}</option>
${SCHEDULE_STATUSES.map((s) => html`<option value="${s}"${s === current ? html` selected` : ''}>${t(`broadcasts:status.${s}`)}</option>`)}
</select>
<button type="submit">${t('console:staff.broadcasts.applyFilter')}</button>
</form>`;
}

/** Renders the create form's inputs, each with its label, hint and the problems found with it. */
class FormFields {
  constructor(
    private readonly page: ConsolePage,
    private readonly view: BroadcastListView,
  ) {}

  problemsOf(name: FormField): SafeHtml {
    const found = this.view.problems.get(name) ?? [];
    return html`${found.map((p, i) => html`<p class="field-problem" id="${name}-problem-${i}">${p}</p>`)}`;
  }

  /** aria attributes pointing at the hint and the problems, so a screen reader reads them with the input. */
  described(name: FormField, hint: boolean): SafeHtml {
    const ids = [...(hint ? [`${name}-hint`] : []), ...(this.view.problems.get(name) ?? []).map((_, i) => `${name}-problem-${i}`)];
    return html`${ids.length > 0 ? html` aria-describedby="${ids.join(' ')}"` : ''}${this.view.problems.has(name) ? html` aria-invalid="true"` : ''}`;
  }

  text(name: FormField, options: { hint?: boolean; multiline?: boolean; required?: boolean } = {}): SafeHtml {
    const { t } = this.page;
    const value = this.view.form[name] ?? '';
    const attributes = html`id="${name}" name="${name}"${options.required ? html` required` : ''}${this.described(name, options.hint ?? false)}`;
    return html`<label for="${name}">${t(`console:staff.form.${name}`)}</label>
${options.hint ? html`<p class="hint" id="${name}-hint">${t(`console:staff.form.${name}Hint`)}</p>` : ''}${this.problemsOf(name)}
${options.multiline ? html`<textarea ${attributes} rows="5">${value}</textarea>` : html`<input type="text" ${attributes} value="${value}">`}`;
  }

  select(name: FormField, values: readonly string[]): SafeHtml {
    const { t } = this.page;
    const chosen = this.view.form[name];
    return html`<label for="${name}">${t(`console:staff.form.${name}`)}</label>${this.problemsOf(name)}
<select id="${name}" name="${name}"${this.described(name, false)}>
${values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${v}</option>`)}
</select>`;
  }

  /** A choice between kinds, with the inputs of each kind grouped under its radio button. */
  choice(name: 'timing' | 'content' | 'target', options: readonly [string, SafeHtml][]): SafeHtml {
    const { t } = this.page;
    return html`<fieldset${this.described(name, false)}>
<legend>${t(`console:staff.form.${name}`)}</legend>${this.problemsOf(name)}
${options.map(
  ([value, inputs]) => html`<label class="choice"><input type="radio" name="${name}" value="${value}"${this.view.form[name] === value ? html` checked` : ''}>${t(`console:staff.form.${name}Kind.${value}`)}</label>
${inputs}`,
)}
</fieldset>`;
  }
}

function createForm(page: ConsolePage, view: BroadcastListView): SafeHtml {
  const { t } = page;
  const f = new FormFields(page, view);
  const formProblems = view.problems.get('form') ?? [];
  return html`<section aria-labelledby="create-title">
<h2 id="create-title">${t('console:staff.form.heading')}</h2>
${view.problems.size > 0 ? html`<div class="problem" role="alert"><p>${t('broadcasts:errors.invalid')}</p>${formProblems.length > 0 ? html`<ul>${formProblems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="${inLanguage(BROADCASTS_PATH, page.locale)}">
${csrfField(view.csrf)}
${f.text('title', { required: true })}
${f.choice('timing', [
  ['once', f.text('at', { hint: true })],
  ['cron', html`${f.text('pattern', { hint: true })}${f.text('from')}${f.text('until')}`],
])}
${f.choice('content', [
  ['message', html`${f.text('campaign', { hint: true })}${f.text('message')}`],
  ['rotation', f.select('topic', MESSAGE_TOPICS)],
  ['text', html`${f.text('textVi', { multiline: true })}${f.text('textEn', { multiline: true })}`],
])}
${f.choice('target', [
  ['all', html``],
  ['tags', f.text('tags', { hint: true })],
  ['platform', f.select('platform', view.platforms)],
])}
<label class="choice"><input type="checkbox" id="urgent" name="urgent" value="on"${view.form.urgent ? html` checked` : ''} aria-describedby="urgent-hint">${t('console:staff.form.urgent')}</label>
<p class="hint" id="urgent-hint">${t('console:staff.form.urgentHint')}</p>${f.problemsOf('urgent')}
<button type="submit">${t('console:staff.form.submit')}</button>
</form>
</section>`;
}

export function broadcastListPage(page: ConsolePage, view: BroadcastListView): string {
  const { t } = page;
  return staffLayout(
    page,
    t('console:staff.broadcasts.title'),
    BROADCASTS_PATH,
    html`<h1>${t('console:staff.broadcasts.title')}</h1>
${banner(view)}
${statusFilter(page, view.status)}
${view.schedules.length === 0 ? html`<p>${t('console:staff.broadcasts.none')}</p>` : html`<ul class="plain">${view.schedules.map((s) => scheduleCard(page, s, view.timeZone))}</ul>`}
${createForm(page, view)}`,
  );
}
