import { describe, expect, it } from 'vitest';
import { WebhookPayloadError, type WebhookUpdate } from '../channel.js';
import { TelegramWebhook } from './webhook.js';

const SECRET = 'a-Very_long-secret-0123456789';
const webhook = new TelegramWebhook({ secret: SECRET });

const DATE = 1_717_000_000;
const person = { id: 5550001, is_bot: false, first_name: 'Lan', last_name: 'Nguyễn', username: 'lan_ng', language_code: 'vi' };
const privateChat = { id: 5550001, first_name: 'Lan', last_name: 'Nguyễn', type: 'private' };
const group = { id: -4001234, title: 'Tổ dân phố 5', type: 'group', all_members_are_administrators: true };
const supergroup = { id: -1001234567890, title: 'Phường Bến Nghé', type: 'supergroup' };

function update(message: Record<string, unknown>, updateId = 900001): unknown {
  return { update_id: updateId, message: { message_id: 77, from: person, chat: privateChat, date: DATE, ...message } };
}

function messageOf(result: WebhookUpdate) {
  if (result.kind !== 'message') throw new Error(`expected a message, got: ${result.reason}`);
  return result.message;
}

describe('TelegramWebhook.parse', () => {
  it('normalises a private text message', () => {
    expect(webhook.parse(update({ text: 'Có người bán ma tuý ở hẻm 12' }))).toEqual({
      kind: 'message',
      message: {
        platform: 'telegram',
        updateId: '900001',
        chat: { id: '5550001', kind: 'private' },
        sender: { id: '5550001', displayName: 'Lan Nguyễn' },
        kind: 'text',
        text: 'Có người bán ma tuý ở hẻm 12',
        sentAt: DATE * 1000,
      },
    });
  });

  it('normalises group and supergroup messages as group chats with their titles', () => {
    const fromGroup = messageOf(webhook.parse(update({ chat: group, text: '/hoi' })));
    expect(fromGroup.chat).toEqual({ id: '-4001234', kind: 'group', title: 'Tổ dân phố 5' });
    const fromSupergroup = messageOf(webhook.parse(update({ chat: supergroup, text: 'xin chào' })));
    expect(fromSupergroup.chat).toEqual({ id: '-1001234567890', kind: 'group', title: 'Phường Bến Nghé' });
  });

  it('names the sender by first and last name, else by username', () => {
    const onlyFirst = messageOf(webhook.parse(update({ from: { id: 1, is_bot: false, first_name: 'Minh' }, text: 'a' })));
    expect(onlyFirst.sender).toEqual({ id: '1', displayName: 'Minh' });
    const onlyUsername = messageOf(webhook.parse(update({ from: { id: 2, is_bot: false, first_name: '', username: 'minh' }, text: 'a' })));
    expect(onlyUsername.sender).toEqual({ id: '2', displayName: 'minh' });
  });

  it('reads a photo as a photo with its caption and no URL', () => {
    const photo = [
      { file_id: 'small', file_unique_id: 's', width: 90, height: 67, file_size: 1200 },
      { file_id: 'big', file_unique_id: 'b', width: 1280, height: 960, file_size: 98000 },
    ];
    const message = messageOf(webhook.parse(update({ photo, caption: 'Ảnh chụp lúc 22h' })));
    expect(message.kind).toBe('photo');
    expect(message.text).toBe('Ảnh chụp lúc 22h');
    expect(message.photoUrl).toBeUndefined();
    expect(messageOf(webhook.parse(update({ photo }))).text).toBeUndefined();
  });

  it('reads a sticker as a sticker', () => {
    const sticker = { file_id: 'st', file_unique_id: 'stu', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' };
    const message = messageOf(webhook.parse(update({ sticker })));
    expect(message.kind).toBe('sticker');
    expect(message.text).toBeUndefined();
  });

  it('calls other content unsupported, an empty text included', () => {
    const voice = { file_id: 'v', file_unique_id: 'vu', duration: 3, mime_type: 'audio/ogg' };
    expect(messageOf(webhook.parse(update({ voice }))).kind).toBe('unsupported');
    expect(messageOf(webhook.parse(update({ location: { latitude: 10.77, longitude: 106.7 } }))).kind).toBe('unsupported');
    const empty = messageOf(webhook.parse(update({ text: '' })));
    expect(empty.kind).toBe('unsupported');
    expect(empty.text).toBeUndefined();
  });

  it('keeps unicode, emoji and long text intact', () => {
    const text = 'Tiếng Việt có dấu: ắ ằ ẳ ẵ ặ 🚨👮‍♀️🇻🇳 '.repeat(150);
    expect(text.length).toBeGreaterThan(4096);
    expect(messageOf(webhook.parse(update({ text }))).text).toBe(text);
  });

  it('refuses text longer than any message Loa Phường stores', () => {
    expect(() => webhook.parse(update({ text: 'x'.repeat(20_001) }))).toThrow(WebhookPayloadError);
  });

  it.each([
    ['edited_message', { edited_message: { message_id: 1, date: DATE, edit_date: DATE, chat: privateChat, from: person, text: 'sửa' } }],
    ['channel_post', { channel_post: { message_id: 1, date: DATE, chat: { id: -100777, type: 'channel', title: 'Kênh' }, text: 'tin' } }],
    ['callback_query', { callback_query: { id: '1', from: person, chat_instance: '1', data: 'x' } }],
    ['my_chat_member', { my_chat_member: { chat: group, from: person, date: DATE } }],
  ])('acknowledges and drops %s updates', (kind, body) => {
    const result = webhook.parse({ update_id: 5, ...body });
    expect(result.kind).toBe('ignored');
    expect(result.kind === 'ignored' && result.reason).toContain(kind);
  });

  it('drops group housekeeping, channel-typed chats and messages without a sender', () => {
    expect(webhook.parse(update({ chat: group, new_chat_members: [person] })).kind).toBe('ignored');
    expect(webhook.parse(update({ chat: supergroup, pinned_message: { message_id: 3, date: DATE, chat: supergroup } })).kind).toBe('ignored');
    expect(webhook.parse(update({ chat: { id: -100777, type: 'channel', title: 'Kênh' }, text: 'a' })).kind).toBe('ignored');
    expect(webhook.parse({ update_id: 6, message: { message_id: 1, date: DATE, chat: group, text: 'a' } }).kind).toBe('ignored');
  });

  it.each([
    ['null', null],
    ['a string', 'update'],
    ['an array', [1]],
    ['no update_id', { message: { message_id: 1 } }],
    ['a text update_id', { update_id: '12' }],
    ['a negative update_id', { update_id: -1 }],
    ['a message without a chat', { update_id: 1, message: { message_id: 1, date: DATE, from: person, text: 'a' } }],
    ['an unknown chat type', { update_id: 1, message: { message_id: 1, date: DATE, from: person, chat: { id: 1, type: 'room' }, text: 'a' } }],
    ['a text chat id', { update_id: 1, message: { message_id: 1, date: DATE, from: person, chat: { id: '1', type: 'private' }, text: 'a' } }],
    ['a number as text', { update_id: 1, message: { message_id: 1, date: DATE, from: person, chat: privateChat, text: 5 } }],
    ['photo sizes that are not a list', { update_id: 1, message: { message_id: 1, date: DATE, from: person, chat: privateChat, photo: {} } }],
  ])('refuses a body with %s', (_, body) => {
    expect(() => webhook.parse(body)).toThrow(WebhookPayloadError);
  });

  it('keeps message text and ids out of its errors', () => {
    const body = { update_id: 1, message: { message_id: 1, date: 'soon', from: person, chat: privateChat, text: 'bí mật' } };
    expect(() => webhook.parse(body)).toThrow(WebhookPayloadError);
    try {
      webhook.parse(body);
    } catch (error) {
      expect((error as Error).message).not.toContain('bí mật');
      expect((error as Error).message).not.toContain('5550001');
    }
  });
});

describe('TelegramWebhook.verify', () => {
  it('accepts the secret Telegram echoes back', () => {
    expect(webhook.verify({ 'x-telegram-bot-api-secret-token': SECRET })).toBe(true);
    expect(webhook.verify({ 'x-telegram-bot-api-secret-token': [SECRET, 'other'] })).toBe(true);
  });

  it('refuses a wrong, partial or missing secret', () => {
    expect(webhook.verify({ 'x-telegram-bot-api-secret-token': `${SECRET}x` })).toBe(false);
    expect(webhook.verify({ 'x-telegram-bot-api-secret-token': SECRET.slice(0, -1) })).toBe(false);
    expect(webhook.verify({ 'x-telegram-bot-api-secret-token': '' })).toBe(false);
    expect(webhook.verify({})).toBe(false);
    expect(webhook.verify({ 'x-zevent-signature': SECRET })).toBe(false);
  });

  it('mounts on its own path and will not take a secret Telegram could not send', () => {
    expect(webhook.path).toBe('/webhooks/telegram');
    expect(webhook.platform).toBe('telegram');
    expect(() => new TelegramWebhook({ secret: '' })).toThrow(RangeError);
    expect(() => new TelegramWebhook({ secret: 'with space' })).toThrow(RangeError);
    expect(() => new TelegramWebhook({ secret: 'x'.repeat(257) })).toThrow(RangeError);
  });
});
