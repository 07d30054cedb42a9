import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../channel.js';
import { ZaloOaWebhook } from './webhook.js';

const APP_ID = '3608465248940903967';
const OA_SECRET = 'oa-secret-key';
const NOW = 1_750_000_000_000;

const webhook = (options: { maxSkewMs?: number } = {}) =>
  new ZaloOaWebhook({ appId: APP_ID, oaSecretKey: OA_SECRET, now: () => NOW, ...options });

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    app_id: APP_ID,
    user_id_by_app: '552177279717587730',
    event_name: 'user_send_text',
    timestamp: String(NOW - 1_000),
    sender: { id: '246845883529197922' },
    recipient: { id: '388613280878808645' },
    message: { text: 'Có người bán ma túy ở ngõ 5', msg_id: '96d3cdf3af150460909' },
    ...overrides,
  };
}

/** Written out here rather than taken from the code under test: sha256(appId + body + timestamp + OA secret). */
function signed(body: Record<string, unknown>, secret = OA_SECRET): { raw: Buffer; signature: string } {
  const raw = JSON.stringify(body);
  const digest = createHash('sha256').update(`${APP_ID}${raw}${String(body.timestamp)}${secret}`).digest('hex');
  return { raw: Buffer.from(raw), signature: digest };
}

describe('ZaloOaWebhook.verify', () => {
  it('accepts a signature over the raw body, with or without the mac= prefix', () => {
    const { raw, signature } = signed(event());
    expect(webhook().verify({ 'x-zevent-signature': signature }, raw)).toBe(true);
    expect(webhook().verify({ 'x-zevent-signature': `mac=${signature}` }, raw)).toBe(true);
    expect(webhook().verify({ 'x-zevent-signature': [`mac=${signature.toUpperCase()}`] }, raw)).toBe(true);
  });

  it('accepts a numeric timestamp signed as its digits', () => {
    const { raw, signature } = signed(event({ timestamp: NOW }));
    expect(webhook().verify({ 'x-zevent-signature': signature }, raw)).toBe(true);
  });

  it('refuses a wrong, missing or differently keyed signature', () => {
    const { raw, signature } = signed(event());
    expect(webhook().verify({}, raw)).toBe(false);
    expect(webhook().verify({ 'x-zevent-signature': '' }, raw)).toBe(false);
    expect(webhook().verify({ 'x-zevent-signature': 'mac=' }, raw)).toBe(false);
    expect(webhook().verify({ 'x-zevent-signature': `mac=${'0'.repeat(64)}` }, raw)).toBe(false);
    expect(webhook().verify({ 'x-zevent-signature': signed(event(), 'app-secret-instead').signature }, raw)).toBe(false);
    expect(webhook().verify({ 'x-zevent-signature': signature.slice(1) }, raw)).toBe(false);
  });

  it('refuses a tampered body, even one that parses to the same object', () => {
    const { raw, signature } = signed(event());
    const tampered = Buffer.from(raw.toString().replace('ngõ 5', 'ngõ 7'));
    expect(webhook().verify({ 'x-zevent-signature': signature }, tampered)).toBe(false);
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(raw.toString()), null, 1));
    expect(webhook().verify({ 'x-zevent-signature': signature }, reformatted)).toBe(false);
  });

  it('refuses a timestamp outside the replay window, either way', () => {
    for (const timestamp of [NOW - 10 * 60_000 - 1, NOW + 10 * 60_000 + 1]) {
      const { raw, signature } = signed(event({ timestamp: String(timestamp) }));
      expect(webhook().verify({ 'x-zevent-signature': signature }, raw)).toBe(false);
    }
    const edge = signed(event({ timestamp: String(NOW - 10 * 60_000) }));
    expect(webhook().verify({ 'x-zevent-signature': edge.signature }, edge.raw)).toBe(true);
    expect(webhook({ maxSkewMs: 60_000 }).verify({ 'x-zevent-signature': edge.signature }, edge.raw)).toBe(false);
  });

  it('refuses a body without a usable timestamp, or not JSON at all', () => {
    for (const body of [event({ timestamp: undefined }), event({ timestamp: 'yesterday' })]) {
      const { raw, signature } = signed(body);
      expect(webhook().verify({ 'x-zevent-signature': signature }, raw)).toBe(false);
    }
    expect(webhook().verify({ 'x-zevent-signature': 'mac=abc' }, Buffer.from('not json'))).toBe(false);
  });
});

describe('ZaloOaWebhook.parse', () => {
  it('reads a private text message, keyed by its msg_id', () => {
    expect(webhook().parse(event())).toEqual({
      kind: 'message',
      message: {
        platform: 'zalo-oa',
        updateId: '96d3cdf3af150460909',
        chat: { id: 'user:246845883529197922', kind: 'private' },
        sender: { id: '246845883529197922' },
        kind: 'text',
        text: 'Có người bán ma túy ở ngõ 5',
        sentAt: NOW - 1_000,
      },
    });
  });

  it('reads a group text message into the group chat id', () => {
    const update = webhook().parse(event({ event_name: 'user_send_group_text', recipient: { id: 'f414c8f76fa586fbdfb4' } }));
    expect(update).toMatchObject({
      kind: 'message',
      message: { chat: { id: 'group:f414c8f76fa586fbdfb4', kind: 'group' }, sender: { id: '246845883529197922' }, kind: 'text' },
    });
    const named = webhook().parse(event({ event_name: 'user_send_group_text', recipient: { group_id: 'g-2' } }));
    expect(named).toMatchObject({ message: { chat: { id: 'group:g-2', kind: 'group' } } });
  });

  it('reads images, private and in a group, as photos with their caption', () => {
    const message = {
      msg_id: 'img-1',
      text: 'ảnh hiện trường',
      attachments: [{ type: 'image', payload: { thumbnail: 'https://cdn.test/t.jpg', url: 'https://cdn.test/a.jpg' } }],
    };
    expect(webhook().parse(event({ event_name: 'user_send_image', message }))).toMatchObject({
      kind: 'message',
      message: { chat: { id: 'user:246845883529197922' }, kind: 'photo', photoUrl: 'https://cdn.test/a.jpg', text: 'ảnh hiện trường' },
    });
    expect(webhook().parse(event({ event_name: 'user_send_group_image', recipient: { id: 'g-1' }, message }))).toMatchObject({
      kind: 'message',
      message: { chat: { id: 'group:g-1', kind: 'group' }, kind: 'photo', photoUrl: 'https://cdn.test/a.jpg' },
    });
  });

  it('keys a message without msg_id by a hash of its fields, the same on every delivery', () => {
    const body = event({ message: { text: 'xin chào' } });
    const first = webhook().parse(body);
    const again = webhook().parse(structuredClone(body));
    const other = webhook().parse(event({ message: { text: 'xin chào!' } }));
    expect(first.kind === 'message' && first.message.updateId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again).toEqual(first);
    expect(other.kind === 'message' && other.message.updateId).not.toBe(first.kind === 'message' && first.message.updateId);
  });

  it('ignores every other event, including the OA’s own sends and content it does not read', () => {
    for (const name of ['oa_send_text', 'oa_send_group_text', 'follow', 'unfollow', 'user_send_sticker', 'user_send_group_file', 'user_seen_message']) {
      expect(webhook().parse({ event_name: name, oa_id: '1', timestamp: String(NOW) })).toEqual({ kind: 'ignored', reason: `event ${name}` });
    }
    expect(webhook().parse(event({ message: { msg_id: 'm', text: '' } }))).toMatchObject({ kind: 'ignored' });
    expect(webhook().parse(event({ event_name: 'user_send_image', message: { msg_id: 'm', attachments: [] } }))).toMatchObject({ kind: 'ignored' });
  });

  it('throws WebhookPayloadError for a body that is not a valid event', () => {
    const bad: unknown[] = [
      null,
      'user_send_text',
      [],
      {},
      { event_name: '' },
      event({ sender: undefined }),
      event({ timestamp: 'soon' }),
      event({ message: undefined }),
      event({ event_name: 'user_send_group_text', recipient: {} }),
      event({ event_name: 'user_send_image', message: { msg_id: 'm', attachments: [{ type: 'image', payload: { url: 'not a url' } }] } }),
    ];
    for (const body of bad) expect(() => webhook().parse(body), JSON.stringify(body)).toThrow(WebhookPayloadError);
  });

  it('mounts at /webhooks/zalo-oa and needs its keys', () => {
    expect(webhook().path).toBe('/webhooks/zalo-oa');
    expect(webhook().platform).toBe('zalo-oa');
    expect(() => new ZaloOaWebhook({ appId: APP_ID, oaSecretKey: '' })).toThrow();
  });
});
