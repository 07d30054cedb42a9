import type { Platform } from '../../channels/channel.js';
import { splitText } from '../../channels/outbound/split-text.js';
import { MAX_TEXT_LENGTH } from '../../channels/platform-limits.js';
import type { Locale } from '../../platform/config.js';
import { html, SafeHtml } from '../../platform/http/html.js';
import type { ConsolePage } from '../auth/login-page.js';

/** The chat platforms residents read the ward's messages on; Zalo OA shares the Zalo bot's limit. */
export const PREVIEW_PLATFORMS = ['zalo', 'telegram'] as const satisfies readonly Platform[];
export type PreviewPlatform = (typeof PREVIEW_PLATFORMS)[number];

export interface ChatPreview {
  platform: PreviewPlatform;
  limit: number;
  /** Exactly the messages the outbound layer sends for this text on this platform. */
  parts: string[];
}

export function chatPreviews(text: string): ChatPreview[] {
  return PREVIEW_PLATFORMS.map((platform) => ({ platform, limit: MAX_TEXT_LENGTH[platform], parts: splitText(text, MAX_TEXT_LENGTH[platform]) }));
}

/** Chat bubbles, one per platform side by side where the screen allows; text wraps and keeps its line breaks. */
export const CHAT_STYLE = new SafeHtml(`<style>
.chats{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
.chat{border-radius:.75rem;padding:.75rem;margin:0}
.chat h4{margin:0 0 .5rem;font-size:1rem}
.chat-zalo{background:#e5efff}
.chat-telegram{background:#dfeedd}
.bubble{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border-radius:1rem 1rem 1rem .25rem;padding:.6rem .8rem;margin:.4rem 0 .1rem;box-shadow:0 1px 1px rgba(0,0,0,.15)}
.count{font-size:.85rem;color:#3d4248;margin:0 0 .5rem}
</style>`);

/** The text as one platform will show it: each part a bubble, with its length against the platform's limit. */
function chatBox(page: ConsolePage, locale: Locale, preview: ChatPreview): SafeHtml {
  const { t } = page;
  const name = t(`console:library.platforms.${preview.platform}`);
  const total = preview.parts.length;
  return html`<section class="chat chat-${preview.platform}" aria-label="${t('console:library.preview.on', { platform: name, language: t(`console:staff.languages.${locale}`) })}">
<h4>${name}</h4>
<p class="count">${t('console:library.preview.parts', { count: total })}</p>
${preview.parts.map(
  (part, i) => html`<div class="bubble" lang="${locale}">${part}</div>
<p class="count">${t('console:library.preview.length', { part: i + 1, total, length: part.length, limit: preview.limit })}</p>`,
)}
</section>`;
}

/** Every preview platform's rendering of one text in one language. */
export function chatPreviewHtml(page: ConsolePage, locale: Locale, text: string): SafeHtml {
  return html`<div class="chats">${chatPreviews(text).map((p) => chatBox(page, locale, p))}</div>`;
}
