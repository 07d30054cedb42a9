import { describe, expect, it } from 'vitest';
import { inboundMessageSchema, WebhookPayloadError, type InboundMessage, type WebhookReceiver } from '../channel.js';
import { ZaloBotWebhook } from './webhook.js';

const SECRET = 'wh-secret-0123456789';
// Typed as the ingress sees it.
const webhook: WebhookReceiver = new ZaloBotWebhook({ secret: SECRET });
const none = Buffer.alloc(0);

function message(overrides: Record<string, unknown> = {}) {
  return {
    from: { id: '6ede9afa66b88fe6d6a9', display_name: 'Ted', is_bot: false },
    chat: { id: '6ede9afa66b88fe6d6a9', chat_type: 'PRIVATE' },
    text: 'Xin chào',
    message_id: '2d758cb5e222177a4e35',
    date: 1750316131602,
    ...overrides,
  };
}
const wrapped = (event_name: string, msg: unknown) => ({ ok: true, result: { event_name, message: msg } });

function parsedMessage(body: unknown): InboundMessage {
  const update = webhook.parse(body);
  if (update.kind !== 'message') throw new Error(`expected a message, got ${update.reason}`);
  // Whatever the platform sent, what comes out must be a valid InboundMessage.
  expect(inboundMessageSchema.parse(update.message)).toEqual(update.message);
  return update.message;
}

describe('ZaloBotWebhook', () => {
  it('mounts at /webhooks/zalo for platform zalo', () => {
    expect(webhook.platform).toBe('zalo');
    expect(webhook.path).toBe('/webhooks/zalo');
  });

  describe('verify', () => {
    it('accepts the right secret in X-Bot-Api-Secret-Token (Node lower-cases header names)', () => {
      expect(webhook.verify({ 'x-bot-api-secret-token': SECRET }, none)).toBe(true);
      expect(webhook.verify({ 'x-bot-api-secret-token': [SECRET, 'other'] }, none)).toBe(true);
    });

    it('refuses a wrong, longer, shorter, empty or missing secret', () => {
      expect(webhook.verify({ 'x-bot-api-secret-token': 'wh-secret-0123456788' }, none)).toBe(false);
      expect(webhook.verify({ 'x-bot-api-secret-token': `${SECRET}x` }, none)).toBe(false);
      expect(webhook.verify({ 'x-bot-api-secret-token': SECRET.slice(0, -1) }, none)).toBe(false);
      expect(webhook.verify({ 'x-bot-api-secret-token': '' }, none)).toBe(false);
      expect(webhook.verify({}, none)).toBe(false);
      expect(webhook.verify({ 'x-telegram-bot-api-secret-token': SECRET }, none)).toBe(false);
    });

    it('will not be built with a secret the platform would not take', () => {
      expect(() => new ZaloBotWebhook({ secret: 'short' })).toThrow(RangeError);
      expect(() => new ZaloBotWebhook({ secret: 'x'.repeat(257) })).toThrow(RangeError);
    });
  });

  describe('parse', () => {
    it('reads a wrapped text message, as in the platform docs', () => {
      expect(parsedMessage(wrapped('message.text.received', message()))).toEqual({
        platform: 'zalo',
        updateId: '2d758cb5e222177a4e35',
        chat: { id: '6ede9afa66b88fe6d6a9', kind: 'private' },
        sender: { id: '6ede9afa66b88fe6d6a9', displayName: 'Ted' },
        kind: 'text',
        text: 'Xin chào',
        sentAt: 1750316131602,
      });
    });

    it('reads the bare {event_name, message} the same way', () => {
      const bare = { event_name: 'message.text.received', message: message() };
      expect(parsedMessage(bare)).toEqual(parsedMessage(wrapped('message.text.received', message())));
    });

    it('tells group chats apart and does without a display name', () => {
      const msg = parsedMessage(
        wrapped('message.text.received', message({ chat: { id: 'grp-1', chat_type: 'GROUP' }, from: { id: 'u-9' } })),
      );
      expect(msg.chat).toEqual({ id: 'grp-1', kind: 'group' });
      expect(msg.sender).toEqual({ id: 'u-9' });
    });

    it('reads an image with its URL and caption', () => {
      const msg = parsedMessage(
        wrapped('message.image.received', message({ text: undefined, photo_url: 'https://f.zalo.me/a.jpg', caption: 'Ảnh hiện trường' })),
      );
      expect(msg).toMatchObject({ kind: 'photo', photoUrl: 'https://f.zalo.me/a.jpg', text: 'Ảnh hiện trường' });
    });

    it('reads an image without caption, and the URL under `photo` too', () => {
      const msg = parsedMessage(wrapped('message.image.received', message({ text: undefined, photo: 'https://f.zalo.me/b.jpg' })));
      expect(msg.kind).toBe('photo');
      expect(msg.photoUrl).toBe('https://f.zalo.me/b.jpg');
      expect(msg).not.toHaveProperty('text');
      const odd = parsedMessage(wrapped('message.image.received', message({ text: undefined, photo: { id: 'x' } })));
      expect(odd).not.toHaveProperty('photoUrl');
    });

    it('reads stickers and unsupported messages without content', () => {
      const sticker = parsedMessage(wrapped('message.sticker.received', message({ text: undefined, sticker: 'abc', url: 'https://s' })));
      expect(sticker).toMatchObject({ kind: 'sticker' });
      expect(sticker).not.toHaveProperty('text');
      const unsupported = parsedMessage(wrapped('message.unsupported.received', message({ text: undefined })));
      expect(unsupported).toMatchObject({ kind: 'unsupported', updateId: '2d758cb5e222177a4e35' });
      expect(unsupported).not.toHaveProperty('text');
    });

    it('acknowledges and drops other events, whatever their message looks like', () => {
      expect(webhook.parse(wrapped('message.voice.received', { voice_url: 'https://v.aac' }))).toEqual({
        kind: 'ignored',
        reason: 'event message.voice.received is not handled',
      });
      expect(webhook.parse({ event_name: 'user.follow' })).toMatchObject({ kind: 'ignored' });
    });

    it('keeps unicode and emoji exactly, including a zero-width-joined emoji', () => {
      const text = 'Tố giác: có người bán ma tuý ở hẻm 12 🚨👨‍👩‍👧 — 𝕏 ‏עברית';
      expect(parsedMessage(wrapped('message.text.received', message({ text }))).text).toBe(text);
    });

    it('passes an empty text through as text "" (the router decides what it means)', () => {
      expect(parsedMessage(wrapped('message.text.received', message({ text: '' })))).toMatchObject({ kind: 'text', text: '' });
    });

    it('keeps a long text whole, and cuts only beyond the 20 000 cap without splitting an emoji', () => {
      const long = 'ă'.repeat(5_000);
      expect(parsedMessage(wrapped('message.text.received', message({ text: long }))).text).toBe(long);
      const huge = `${'a'.repeat(19_999)}😀tail`;
      const cut = parsedMessage(wrapped('message.text.received', message({ text: huge }))).text;
      expect(cut).toBe('a'.repeat(19_999));
    });

    it.each([
      ['null', null],
      ['a string', 'message.text.received'],
      ['an array', [wrapped('message.text.received', message())]],
      ['ok:false', { ok: false, result: { event_name: 'message.text.received', message: message() } }],
      ['no event name', { ok: true, result: { message: message() } }],
    ])('refuses %s as not an update', (_what, body) => {
      expect(() => webhook.parse(body)).toThrow(WebhookPayloadError);
    });

    it.each([
      ['no message', undefined],
      ['a text event without text', message({ text: undefined })],
      ['no chat', message({ chat: undefined })],
      ['an unknown chat type', message({ chat: { id: 'c', chat_type: 'CHANNEL' } })],
      ['an empty sender id', message({ from: { id: '' } })],
      ['a date in seconds as a string', message({ date: '1750316131' })],
      ['a numeric message id', message({ message_id: 42 })],
    ])('refuses a known event with %s', (_what, msg) => {
      expect(() => webhook.parse(wrapped('message.text.received', msg))).toThrow(WebhookPayloadError);
    });

    it('refuses an image whose photo_url is not a web URL', () => {
      const body = wrapped('message.image.received', message({ photo_url: 'javascript:alert(1)' }));
      expect(() => webhook.parse(body)).toThrow(WebhookPayloadError);
    });

    it('does not echo message contents in its errors', () => {
      const body = wrapped('message.text.received', message({ text: 'bí mật của người tố giác', chat: undefined }));
      expect(() => webhook.parse(body)).toThrow(/^message\.text\.received: invalid message \(chat\)$/);
    });
  });
});
