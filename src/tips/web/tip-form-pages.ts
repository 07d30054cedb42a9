import type { Locale } from '../../platform/config.js';
import { html, SafeHtml } from '../../platform/http/html.js';
import type { TFunction } from '../../platform/i18n.js';
import { wallClock } from '../../platform/time-zone.js';
import { MAX_PHOTO_BYTES } from '../photos.js';
import { TIP_CATEGORIES, TIP_LIMITS, type TipsterView } from '../schemas.js';

export const TIP_FORM_PATH = '/to-giac';
export const LOOKUP_PATH = '/to-giac/ma';
export const ANSWER_PATH = '/to-giac/ma/tra-loi';

export interface PageContext {
  t: TFunction;
  locale: Locale;
  timeZone: string;
}

/** A problem with one field, already worded in the page's language. */
export interface ShownProblem {
  field: string;
  message: string;
}

/** What the person typed, shown again when the form comes back with problems. */
export type FormValues = Partial<Record<'category' | 'where' | 'when' | 'what', string>>;

const STYLE = `
body{font-family:system-ui,sans-serif;font-size:1.05rem;line-height:1.5;max-width:40rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#f6f7f9}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem}a{color:#0b57d0}
form{display:grid;gap:.75rem;margin:1rem 0}label,legend{font-weight:600}
fieldset{border:1px solid #c4c9d0;border-radius:.5rem;padding:.75rem}
.choice{display:flex;gap:.5rem;align-items:flex-start;font-weight:400;padding:.3rem 0}
.choice span{display:inline-block}.choice span::first-letter{text-transform:uppercase}
input,textarea,button{font:inherit;padding:.6rem;border:1px solid #8a929c;border-radius:.4rem;max-width:100%;box-sizing:border-box}
input[type=radio]{width:1.3rem;height:1.3rem;margin-top:.15rem}
textarea,input[type=text]{width:100%}
button{background:#0b57d0;color:#fff;border:0;font-weight:600;padding:.8rem 1rem;cursor:pointer}
.hint{color:#4a4f55;font-size:.92rem;margin:0}
.problem{color:#a30000;font-weight:600;margin:0}
.problems{border:2px solid #a30000;border-radius:.5rem;padding:.5rem 1rem;background:#fff}
.anonymity{background:#e8f1ec;border-radius:.5rem;padding:.5rem 1rem}
.code{font-family:ui-monospace,monospace;font-size:1.7rem;font-weight:700;letter-spacing:.08em;background:#fff;border:2px dashed #1b1b1b;border-radius:.5rem;padding:1rem;text-align:center;overflow-wrap:anywhere}
.thread{list-style:none;padding:0}.thread li{margin:.5rem 0;padding:.5rem .75rem;border-radius:.6rem}
.thread .police{background:#fff;border:1px solid #c4c9d0}.thread .tipster{background:#d9f2e6;margin-left:1.5rem}
.who{font-size:.85rem;color:#4a4f55;margin:0}.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0 0}
.notice{background:#e8f1ec;border-radius:.5rem;padding:.5rem 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
`;

function layout(ctx: PageContext, title: string, switchTo: string, body: SafeHtml): string {
  const other: Locale = ctx.locale === 'vi' ? 'en' : 'vi';
  return html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} — ${ctx.t('tipform:site')}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header><strong>${ctx.t('tipform:site')}</strong><a href="${switchTo}?lang=${other}" hreflang="${other}" lang="${other}">${ctx.t('tipform:otherLanguage')}</a></header>
<main>
${body}
</main>
</body>
</html>`.value;
}

function action(ctx: PageContext, path: string): string {
  return `${path}?lang=${ctx.locale}`;
}

function problemsFor(problems: readonly ShownProblem[], field: string): ShownProblem[] {
  return problems.filter((p) => p.field === field);
}

/** The messages next to a field, and the attributes that tie the field to them and to its hint. */
function fieldParts(problems: readonly ShownProblem[], field: string, hinted: boolean) {
  const own = problemsFor(problems, field);
  const describedBy = [hinted ? `${field}-hint` : '', own.length ? `${field}-problem` : ''].filter(Boolean).join(' ');
  return {
    attributes: html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${own.length ? html` aria-invalid="true"` : ''}`,
    messages: own.length ? html`<p class="problem" id="${field}-problem">${own.map((p, i) => html`${i ? html`<br>` : ''}${p.message}`)}</p>` : '',
  };
}

function summary(heading: string, problems: readonly ShownProblem[]): SafeHtml | '' {
  if (problems.length === 0) return '';
  return html`<div class="problems" role="alert"><p><strong>${heading}</strong></p><ul>${problems.map((p) => html`<li><a href="#${p.field}">${p.message}</a></li>`)}</ul></div>`;
}

function anonymityNote(t: TFunction): SafeHtml {
  return html`<section class="anonymity" aria-labelledby="anonymity-title"><h2 id="anonymity-title">${t('tipform:anonymity.title')}</h2><ul>
<li>${t('tipform:anonymity.noAccount')}</li>
<li>${t('tipform:anonymity.noAddress')}</li>
<li>${t('tipform:anonymity.photos')}</li>
<li>${t('tipform:anonymity.code')}</li>
</ul></section>`;
}

export function formPage(ctx: PageContext, input: { values?: FormValues; problems?: readonly ShownProblem[]; photosDropped?: boolean } = {}): string {
  const { t } = ctx;
  const values = input.values ?? {};
  const problems = input.problems ?? [];
  const category = fieldParts(problems, 'category', false);
  const where = fieldParts(problems, 'where', true);
  const when = fieldParts(problems, 'when', true);
  const what = fieldParts(problems, 'what', true);
  const photos = fieldParts(problems, 'photos', true);
  // The first choice carries the field's own id, so the summary's link to #category lands on the choices.
  const choices = TIP_CATEGORIES.map((c, i) => {
    const id = i === 0 ? 'category' : `category-${c}`;
    return html`<label class="choice" for="${id}"><input type="radio" id="${id}" name="category" value="${c}"${values.category === c ? html` checked` : ''} required> <span>${t(`tips:category.${c}`)}</span></label>`;
  });
  return layout(
    ctx,
    t('tipform:form.title'),
    TIP_FORM_PATH,
    html`<h1>${t('tipform:form.title')}</h1>
<p>${t('tipform:form.intro')}</p>
${summary(t('tips:errors.invalid'), problems)}
${input.photosDropped ? html`<p class="problem" role="status">${t('tipform:form.photosAgain')}</p>` : ''}
<form method="post" action="${action(ctx, TIP_FORM_PATH)}" enctype="multipart/form-data" accept-charset="utf-8" autocomplete="off">
<fieldset${category.attributes}><legend>${t('tipform:form.category')}</legend>
${choices}
${category.messages}
</fieldset>
<label for="where">${t('tipform:form.where')}</label>
<p class="hint" id="where-hint">${t('tipform:form.whereHint')}</p>
<input type="text" id="where" name="where" maxlength="${TIP_LIMITS.where}" value="${values.where ?? ''}"${where.attributes}>
${where.messages}
<label for="when">${t('tipform:form.when')}</label>
<p class="hint" id="when-hint">${t('tipform:form.whenHint')}</p>
<input type="text" id="when" name="when" maxlength="${TIP_LIMITS.when}" value="${values.when ?? ''}"${when.attributes}>
${when.messages}
<label for="what">${t('tipform:form.what')}</label>
<p class="hint" id="what-hint">${t('tipform:form.whatHint', { min: TIP_LIMITS.what.min, max: TIP_LIMITS.what.max })}</p>
<textarea id="what" name="what" rows="6" minlength="${TIP_LIMITS.what.min}" maxlength="${TIP_LIMITS.what.max}" required${what.attributes}>${values.what ?? ''}</textarea>
${what.messages}
<label for="photos">${t('tipform:form.photos', { max: TIP_LIMITS.photos })}</label>
<p class="hint" id="photos-hint">${t('tipform:form.photosHint', { mb: MAX_PHOTO_BYTES / 1024 / 1024 })}</p>
<input type="file" id="photos" name="photos" accept="image/*" multiple${photos.attributes}>
${photos.messages}
<button type="submit">${t('tipform:form.submit')}</button>
</form>
${anonymityNote(t)}
<p><a href="${action(ctx, LOOKUP_PATH)}">${t('tipform:form.haveCode')}</a></p>`,
  );
}

export function receiptPage(ctx: PageContext, code: string): string {
  const { t } = ctx;
  return layout(
    ctx,
    t('tipform:receipt.title'),
    LOOKUP_PATH,
    html`<h1>${t('tipform:receipt.title')}</h1>
<p>${t('tipform:receipt.thanks')}</p>
<h2 id="code-title">${t('tipform:receipt.code')}</h2>
<p class="code" aria-labelledby="code-title">${code}</p>
<p><strong>${t('tipform:receipt.writeDown')}</strong></p>
<p>${t('tipform:receipt.next')}</p>
<form method="post" action="${action(ctx, LOOKUP_PATH)}">
<input type="hidden" name="code" value="${code}">
<button type="submit">${t('tipform:receipt.check')}</button>
</form>
<p>${t('tipform:receipt.later')} <a href="${action(ctx, LOOKUP_PATH)}">${LOOKUP_PATH}</a></p>`,
  );
}

/** The form asking for a receipt code; `message` says why the last code was not accepted, without repeating it. */
export function lookupPage(ctx: PageContext, message?: string): string {
  const { t } = ctx;
  return layout(
    ctx,
    t('tipform:lookup.title'),
    LOOKUP_PATH,
    html`<h1>${t('tipform:lookup.title')}</h1>
${message ? html`<div class="problems" role="alert"><p id="code-problem" class="problem">${message}</p></div>` : ''}
<p>${t('tipform:lookup.intro')}</p>
<form method="post" action="${action(ctx, LOOKUP_PATH)}" autocomplete="off">
<label for="code">${t('tipform:lookup.code')}</label>
<p class="hint" id="code-hint">${t('tipform:lookup.codeHint')}</p>
<input type="text" id="code" name="code" required maxlength="40" autocapitalize="characters" spellcheck="false" aria-describedby="code-hint${message ? ' code-problem' : ''}"${message ? html` aria-invalid="true"` : ''}>
<button type="submit">${t('tipform:lookup.submit')}</button>
</form>
<p><a href="${action(ctx, TIP_FORM_PATH)}">${t('tipform:lookup.newTip')}</a></p>`,
  );
}

function when(ctx: PageContext, iso: string): SafeHtml {
  const { date, time } = wallClock(new Date(iso), ctx.timeZone);
  const [year, month, day] = date.split('-');
  return html`<time datetime="${iso}">${ctx.t('tipform:status.at', { year, month, day, time })}</time>`;
}

export function statusPage(ctx: PageContext, input: { code: string; view: TipsterView; notice?: string; problems?: readonly ShownProblem[]; draft?: string }): string {
  const { t } = ctx;
  const { view } = input;
  const problems = input.problems ?? [];
  const text = fieldParts(problems, 'text', true);
  const entries = view.thread.map(
    (entry) =>
      html`<li class="${entry.from}"><p class="who">${entry.from === 'police' ? t('tipform:status.fromPolice') : t('tipform:status.fromYou')} · ${when(ctx, entry.at)}</p><p class="text">${entry.text}</p></li>`,
  );
  return layout(
    ctx,
    t('tipform:status.title'),
    LOOKUP_PATH,
    html`<h1>${t('tipform:status.title')}</h1>
${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
<dl>
<dt>${t('tipform:status.status')}</dt><dd><strong>${t(`tips:status.${view.status}`)}</strong></dd>
<dt>${t('tipform:status.category')}</dt><dd>${t(`tips:category.${view.category}`)}</dd>
<dt>${t('tipform:status.received')}</dt><dd>${when(ctx, view.createdAt)}</dd>
</dl>
<h2>${t('tipform:status.thread')}</h2>
${entries.length ? html`<ol class="thread">${entries}</ol>` : html`<p>${t('tipform:status.empty')}</p>`}
${summary(t('tips:errors.invalid'), problems)}
<form method="post" action="${action(ctx, ANSWER_PATH)}" autocomplete="off">
<input type="hidden" name="code" value="${input.code}">
<label for="text">${t('tipform:status.answer')}</label>
<p class="hint" id="text-hint">${t('tipform:status.answerHint', { max: TIP_LIMITS.message })}</p>
<textarea id="text" name="text" rows="4" maxlength="${TIP_LIMITS.message}" required${text.attributes}>${input.draft ?? ''}</textarea>
${text.messages}
<button type="submit">${t('tipform:status.send')}</button>
</form>
<p>${t('tipform:status.done')}</p>`,
  );
}

/** A refusal or failure that leaves nothing to correct in place: what happened, and the way back. */
export function messagePage(ctx: PageContext, message: string, back: 'form' | 'lookup'): string {
  const { t } = ctx;
  const path = back === 'form' ? TIP_FORM_PATH : LOOKUP_PATH;
  return layout(
    ctx,
    t('tipform:errors.title'),
    path,
    html`<h1>${t('tipform:errors.title')}</h1>
<p class="problems" role="alert">${message}</p>
<p><a href="${action(ctx, path)}">${back === 'form' ? t('tipform:errors.backToForm') : t('tipform:errors.backToLookup')}</a></p>`,
  );
}
