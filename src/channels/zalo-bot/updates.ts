import { WebhookPayloadError, type InboundMessage, type WebhookUpdate } from '../channel.js';
import { incomingMessageSchema, type ZaloRawUpdate } from './schemas.js';

const KIND_OF_EVENT: ReadonlyMap<string, InboundMessage['kind']> = new Map([
  ['message.text.received', 'text'],
  ['message.image.received', 'photo'],
  ['message.sticker.received', 'sticker'],
  ['message.unsupported.received', 'unsupported'],
]);

// The caps of InboundMessage. A person's words are cut rather than lost whole; the platform itself limits a chat
// message far below this, so in practice nothing is cut.
const MAX_TEXT = 20_000;
const MAX_DISPLAY_NAME = 256;

/** Cuts to at most `max` UTF-16 units without splitting an emoji's surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * Turns one update (from the webhook or from getUpdates) into an InboundMessage. Events other than text, image,
 * sticker and unsupported (voice, and whatever the platform adds later) are acknowledged and dropped. A text event
 * must carry `text`, but it may be empty: it then arrives as `text: ''` and the router decides what an empty
 * message means. Photos carry their caption, if any, in `text`.
 */
export function normalizeUpdate(update: ZaloRawUpdate): WebhookUpdate {
  const kind = KIND_OF_EVENT.get(update.event_name);
  if (!kind) return { kind: 'ignored', reason: `event ${update.event_name} is not handled` };
  const parsed = incomingMessageSchema.safeParse(update.message);
  if (!parsed.success) {
    const where = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'message'))].join(', ');
    throw new WebhookPayloadError(`${update.event_name}: invalid message (${where})`);
  }
  const { message_id, date, chat, from, text, caption, photo_url, photo } = parsed.data;
  if (kind === 'text' && text === undefined) throw new WebhookPayloadError(`${update.event_name}: no text`);
  const words = kind === 'text' ? text : kind === 'photo' ? caption : undefined;
  const photoUrl = kind === 'photo' ? (photo_url ?? photo) : undefined;
  return {
    kind: 'message',
    message: {
      platform: 'zalo',
      updateId: message_id,
      chat: { id: chat.id, kind: chat.chat_type === 'GROUP' ? 'group' : 'private' },
      sender: {
        id: from.id,
        ...(from.display_name === undefined ? {} : { displayName: cut(from.display_name, MAX_DISPLAY_NAME) }),
      },
      kind,
      ...(words === undefined ? {} : { text: cut(words, MAX_TEXT) }),
      ...(photoUrl === undefined ? {} : { photoUrl }),
      sentAt: date,
    },
  };
}
