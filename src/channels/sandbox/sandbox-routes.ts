import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Locale } from '../../platform/config.js';
import { html, type SafeHtml } from '../../platform/http/html.js';
import type { TFunction } from '../../platform/i18n.js';
import { wallClock } from '../../platform/time-zone.js';
import { chatKindSchema } from '../channel.js';
import type { Inbox } from '../inbound/inbox.js';
import { SandboxStore, type SandboxChat, type TranscriptEntry } from './sandbox-store.js';

const openSchema = z.object({ kind: chatKindSchema, title: z.string().trim().min(1).max(60) });
const sendSchema = z.object({
  chat: z.string().regex(/^(private|group)-[a-z0-9-]{1,80}$/),
  name: z.string().trim().min(1).max(60),
  text: z.string().max(5000),
});

/** How long a POST waits for the bot's answer before showing the page, so a reply usually appears at once. */
const REPLY_WAIT_MS = 3_000;

function page(t: TFunction, locale: Locale, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('sandbox:title')}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#f6f7f9}
h1{font-size:1.3rem}a{color:#0b57d0}
.chats{list-style:none;padding:0}.chats li{margin:.3rem 0}
.msg{margin:.5rem 0;padding:.5rem .75rem;border-radius:.75rem;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}
.resident{background:#d9f2e6;margin-left:auto}.bot{background:#fff;border:1px solid #d0d4da}
.who{font-size:.8rem;color:#555;display:block}
form{display:grid;gap:.5rem;margin:1rem 0}label{font-weight:600}
input,textarea,select,button{font:inherit;padding:.5rem}button{cursor:pointer}
.note{color:#555;font-size:.9rem}
</style>
</head>
<body>
${body}
</body>
</html>`.value;
}

function entryView(t: TFunction, entry: TranscriptEntry, timeZone: string): SafeHtml {
  const who = entry.from === 'bot' ? t('sandbox:bot') : (entry.name ?? '');
  return html`<div class="msg ${entry.from}"><span class="who">${who} · ${wallClock(new Date(entry.at), timeZone).time}</span>${entry.text}${
    entry.photoUrl ? html`<br><a href="${entry.photoUrl}">${t('sandbox:photo')}</a>` : ''
  }</div>`;
}

/**
 * The demo's chat platform: a page on which one plays a resident in a private chat or in a named group and sees
 * what the bot sends. Works without JavaScript.
 */
export function sandboxRoutes(store: SandboxStore, inbox: Inbox, t: TFunction, locale: Locale, timeZone: string): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '32kb' });

  router.get('/', (_req, res) => res.redirect(303, '/sandbox'));

  router.get('/sandbox', async (req, res) => {
    const chatId = typeof req.query.chat === 'string' ? req.query.chat : undefined;
    const chat = chatId ? await store.chat(chatId) : undefined;
    const chats = await store.chats();
    const list = chats.map((c) => html`<li><a href="/sandbox?chat=${encodeURIComponent(c.id)}">${c.kind === 'group' ? '👥' : '👤'} ${c.title}</a></li>`);
    const opener = html`<form method="post" action="/sandbox/open">
<label for="kind">${t('sandbox:open.kind')}</label>
<select id="kind" name="kind"><option value="private">${t('sandbox:open.private')}</option><option value="group">${t('sandbox:open.group')}</option></select>
<label for="title">${t('sandbox:open.title')}</label>
<input id="title" name="title" required maxlength="60" placeholder="${t('sandbox:open.placeholder')}">
<button type="submit">${t('sandbox:open.submit')}</button>
</form>`;
    const body = chat ? await chatView(chat) : html`<p class="note">${t('sandbox:intro')}</p>${opener}`;
    res.type('html').send(
      page(t, locale, html`<h1>${t('sandbox:title')}</h1>${body}<h2>${t('sandbox:chats')}</h2><ul class="chats">${list}</ul>`),
    );
  });

  async function chatView(chat: SandboxChat): Promise<SafeHtml> {
    const entries = await store.transcript(chat.id);
    const defaultName = chat.kind === 'private' ? chat.title : '';
    return html`<h2>${chat.kind === 'group' ? '👥' : '👤'} ${chat.title}</h2>
<p><a href="/sandbox?chat=${encodeURIComponent(chat.id)}">${t('sandbox:refresh')}</a> · <a href="/sandbox">${t('sandbox:back')}</a></p>
<div>${entries.length ? entries.map((e) => entryView(t, e, timeZone)) : html`<p class="note">${t('sandbox:empty')}</p>`}</div>
<form method="post" action="/sandbox/send">
<input type="hidden" name="chat" value="${chat.id}">
<label for="name">${t('sandbox:send.name')}</label>
<input id="name" name="name" required maxlength="60" value="${defaultName}">
<label for="text">${t('sandbox:send.text')}</label>
<textarea id="text" name="text" rows="3" maxlength="5000" autofocus></textarea>
<button type="submit">${t('sandbox:send.submit')}</button>
</form>`;
  }

  router.post('/sandbox/open', form, async (req, res) => {
    const parsed = openSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).type('html').send(page(t, locale, html`<p>${t('sandbox:errors.open')}</p><p><a href="/sandbox">${t('sandbox:back')}</a></p>`));
      return;
    }
    const chat = { id: SandboxStore.chatIdFor(parsed.data.kind, parsed.data.title), ...parsed.data };
    await store.openChat(chat);
    res.redirect(303, `/sandbox?chat=${encodeURIComponent(chat.id)}`);
  });

  router.post('/sandbox/send', form, async (req, res) => {
    const parsed = sendSchema.safeParse(req.body);
    const chat = parsed.success ? await store.chat(parsed.data.chat) : undefined;
    if (!parsed.success || !chat) {
      res.status(400).type('html').send(page(t, locale, html`<p>${t('sandbox:errors.send')}</p><p><a href="/sandbox">${t('sandbox:back')}</a></p>`));
      return;
    }
    const { name, text } = parsed.data;
    const before = (await store.transcript(chat.id)).length;
    await store.append(chat.id, { from: 'resident', name, text });
    await inbox.accept({
      platform: 'sandbox',
      updateId: randomUUID(),
      chat: { id: chat.id, kind: chat.kind, title: chat.kind === 'group' ? chat.title : undefined },
      sender: { id: chat.kind === 'private' ? chat.id : SandboxStore.chatIdFor('private', name), displayName: name },
      kind: 'text',
      text,
      sentAt: Date.now(),
    });
    // In a group the bot answers commands only, so there is nothing to wait for after plain chatter.
    const expectsReply = chat.kind === 'private' || text.trim().startsWith('/');
    for (let waited = 0; expectsReply && waited < REPLY_WAIT_MS; waited += 100) {
      if ((await store.transcript(chat.id)).length > before + 1) break;
      await sleep(100);
    }
    res.redirect(303, `/sandbox?chat=${encodeURIComponent(chat.id)}`);
  });

  return router;
}
