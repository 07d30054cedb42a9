import type { AuditEntry } from '../../audit/audit-log.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import { TIP_PRIORITIES, TIP_STATUSES, type PoliceView } from '../../tips/schemas.js';
import { csrfField } from '../auth/csrf.js';
import { inLanguage, layout } from '../auth/login-page.js';
import type { Notice, TipForm } from './police-forms.js';
import { age, fieldProblem, invalidAttrs, photoPath, POLICE_STYLE, problemsBox, staleBadge, tipPath, TIPS_PATH, when, type PolicePage, type ShownProblem } from './police-view.js';

/** A change that was refused: said at the top, and beside the form it came from, with what was typed kept. */
export interface Refusal {
  form: TipForm;
  message: string;
  problems: readonly ShownProblem[];
  draft?: string;
  duplicateOf?: string;
}

export interface TipPageInput {
  tip: PoliceView;
  trail: readonly AuditEntry[];
  csrf: string;
  notice?: Notice;
  refusal?: Refusal;
}

export function tipPage(page: PolicePage, input: TipPageInput): string {
  const { t, locale } = page;
  const { tip, refusal } = input;
  const action = (name: string) => inLanguage(`${tipPath(tip.id)}/${name}`, locale);
  const problemsOf = (form: TipForm) => (refusal?.form === form ? refusal.problems : []);
  const form = (path: string, legend: string, fields: SafeHtml, submit: string) =>
    html`<form method="post" action="${action(path)}">
${csrfField(input.csrf)}
<fieldset><legend>${legend}</legend>
${fields}
<button type="submit">${submit}</button>
</fieldset>
</form>`;
  const textArea = (name: 'note' | 'reply', hint: string) => {
    const problems = problemsOf(name);
    return html`<label for="${name}-text">${t(`console:police.actions.${name}Label`)}</label>
<p class="hint" id="${name}-hint">${hint}</p>
${fieldProblem(problems, 'text', `${name}-problem`)}
<textarea id="${name}-text" name="text" rows="4" required maxlength="4000"${
      problems.length ? html` aria-invalid="true" aria-describedby="${name}-hint ${name}-problem"` : html` aria-describedby="${name}-hint"`
    }>${refusal?.form === name ? (refusal.draft ?? '') : ''}</textarea>`;
  };
  const waited = age(page, tip);
  const statusProblems = problemsOf('status');

  return layout(
    page,
    t('console:police.tip.title', { id: tip.id }),
    tipPath(tip.id),
    html`${POLICE_STYLE}<p><a href="${inLanguage(TIPS_PATH, locale)}">${t('console:police.tip.back')}</a></p>
<h1>${t('console:police.tip.title', { id: tip.id })} ${waited.stale ? staleBadge(t) : ''}</h1>
${input.notice ? html`<p class="notice" role="status">${t(`console:police.done.${input.notice}`)}</p>` : ''}
${refusal ? problemsBox(t, refusal.message, refusal.problems) : ''}
<dl class="facts">
<dt>${t('console:police.fields.category')}</dt><dd>${t(`tips:category.${tip.category}`)}</dd>
<dt>${t('console:police.fields.status')}</dt><dd>${t(`console:police.status.${tip.status}`)}${
      tip.duplicateOf ? html` — <a href="${inLanguage(tipPath(tip.duplicateOf), locale)}">${tip.duplicateOf}</a>` : ''
    }</dd>
<dt>${t('console:police.fields.priority')}</dt><dd>${t(`console:police.priority.${tip.priority}`)}</dd>
<dt>${t('console:police.fields.received')}</dt><dd>${when(page, tip.createdAt)} (${waited.text})</dd>
<dt>${t('console:police.fields.source')}</dt><dd>${t(`console:police.source.${tip.source}`)}</dd>
<dt>${t('console:police.fields.claimedBy')}</dt><dd>${tip.claimedBy ?? t('console:police.fields.unclaimed')}</dd>
${tip.similarTo ? html`<dt>${t('console:police.fields.similarTo')}</dt><dd><a href="${inLanguage(tipPath(tip.similarTo), locale)}">${tip.similarTo}</a></dd>` : ''}
</dl>

<h2>${t('console:police.tip.content')}</h2>
<dl class="facts">
<dt>${t('console:police.fields.where')}</dt><dd class="text">${tip.content.where || t('console:police.tip.notGiven')}</dd>
<dt>${t('console:police.fields.when')}</dt><dd class="text">${tip.content.when || t('console:police.tip.notGiven')}</dd>
<dt>${t('console:police.fields.what')}</dt><dd class="text">${tip.content.what}</dd>
</dl>
${
  tip.photos > 0
    ? html`<h2>${t('console:police.tip.photos')}</h2>${Array.from(
        { length: tip.photos },
        (_, n) => html`<p><img class="photo" src="${photoPath(tip.id, n)}" alt="${t('console:police.tip.photo', { n: n + 1 })}"></p>`,
      )}`
    : ''
}

<h2>${t('console:police.tip.thread')}</h2>
${
  tip.thread.length === 0
    ? html`<p>${t('console:police.tip.noThread')}</p>`
    : html`<ol class="cards">${tip.thread.map(
        (entry) => html`<li class="${entry.from}"><p class="who">${t(`console:police.tip.from.${entry.from}`)} · ${when(page, entry.at)}</p><p class="text">${entry.text}</p></li>`,
      )}</ol>`
}
${form('replies', t('console:police.actions.reply'), textArea('reply', t(`console:police.actions.replyHint.${tip.source}`)), t('console:police.actions.replySubmit'))}

<h2>${t('console:police.tip.notes')}</h2>
${
  tip.notes.length === 0
    ? html`<p>${t('console:police.tip.noNotes')}</p>`
    : html`<ol class="cards">${tip.notes.map((note) => html`<li><p class="who">${note.author} · ${when(page, note.at)}</p><p class="text">${note.text}</p></li>`)}</ol>`
}
${form('notes', t('console:police.actions.note'), textArea('note', t('console:police.actions.noteHint')), t('console:police.actions.noteSubmit'))}

<h2>${t('console:police.tip.triage')}</h2>
${form('claim', t('console:police.actions.claim'), html`<p class="hint">${t('console:police.actions.claimHint')}</p>`, t('console:police.actions.claimSubmit'))}
${form(
  'status',
  t('console:police.actions.status'),
  html`<label for="status">${t('console:police.fields.status')}</label>
${fieldProblem(statusProblems, 'status', 'status-problem')}
<select id="status" name="status"${invalidAttrs(statusProblems, 'status', 'status-problem')}>${TIP_STATUSES.map(
    (s) => html`<option value="${s}"${s === tip.status ? html` selected` : ''}>${t(`console:police.status.${s}`)}</option>`,
  )}</select>
<label for="duplicateOf">${t('console:police.fields.duplicateOf')}</label>
<p class="hint" id="duplicateOf-hint">${t('console:police.actions.duplicateHint')}</p>
${fieldProblem(statusProblems, 'duplicateOf', 'duplicateOf-problem')}
<input id="duplicateOf" name="duplicateOf" type="text" placeholder="t-3f9a2c71d0" autocapitalize="none" spellcheck="false" value="${
    refusal?.form === 'status' ? (refusal.duplicateOf ?? '') : (tip.duplicateOf ?? '')
  }"${statusProblems.some((p) => p.field === 'duplicateOf') ? html` aria-invalid="true" aria-describedby="duplicateOf-hint duplicateOf-problem"` : html` aria-describedby="duplicateOf-hint"`}>`,
  t('console:police.actions.statusSubmit'),
)}
${form(
  'priority',
  t('console:police.actions.priority'),
  html`<label for="priority">${t('console:police.fields.priority')}</label>
<select id="priority" name="priority">${TIP_PRIORITIES.map(
    (p) => html`<option value="${p}"${p === tip.priority ? html` selected` : ''}>${t(`console:police.priority.${p}`)}</option>`,
  )}</select>`,
  t('console:police.actions.prioritySubmit'),
)}

<h2>${t('console:police.tip.audit')}</h2>
${
  input.trail.length === 0
    ? html`<p>${t('console:police.tip.noAudit')}</p>`
    : html`<ol class="cards">${input.trail.map(
        (entry) => html`<li><p class="who">${when(page, entry.at)} · ${entry.actor}</p><p class="text">${entry.action}${details(entry)}</p></li>`,
      )}</ol>`
}`,
  );
}

/** The audit entry's facts (never content), e.g. "status=closed". */
function details(entry: AuditEntry): string {
  const facts = Object.entries(entry.details).filter(([, value]) => value !== null);
  return facts.length ? ` (${facts.map(([key, value]) => `${key}=${String(value)}`).join(', ')})` : '';
}
