import fc from 'fast-check';
import { WEBHOOK_BODY_LIMIT } from '../../src/channels/inbound/webhook-routes.js';
import { TELEGRAM_WEBHOOK_SECRET, WEBHOOK_PATHS, WEBHOOK_PLATFORMS, ZALO_WEBHOOK_SECRET, type WebhookPlatform } from '../support/webhook-platforms.js';
import type { FuzzTarget } from './fuzz-run.js';
import type { FuzzService } from './fuzz-service.js';
import { headerValue, hostileBody, hostileHeaders, hostileJson, hostileMethod, hostileText, mutated, pathVariant } from './hostile.js';

const BODY_LIMIT = 256 * 1024;
if (WEBHOOK_BODY_LIMIT !== '256kb') throw new Error(`the webhook body limit changed to ${WEBHOOK_BODY_LIMIT}: update BODY_LIMIT`);

/** Field names of each platform's updates, so that mutations and pollution land on the keys that are read. */
const FIELDS: Record<WebhookPlatform, string[]> = {
  zalo: ['ok', 'result', 'event_name', 'message', 'message_id', 'date', 'chat', 'id', 'chat_type', 'from', 'display_name', 'text', 'photo_url', 'caption', 'photo'],
  'zalo-oa': ['app_id', 'event_name', 'timestamp', 'sender', 'recipient', 'group_id', 'id', 'message', 'msg_id', 'text', 'attachments', 'type', 'payload', 'url'],
  telegram: ['update_id', 'message', 'message_id', 'date', 'chat', 'id', 'type', 'title', 'from', 'first_name', 'text', 'caption', 'photo', 'file_id', 'sticker', 'new_chat_members'],
};

const SECRET_HEADERS: Record<WebhookPlatform, string> = { zalo: 'x-bot-api-secret-token', 'zalo-oa': 'x-zevent-signature', telegram: 'x-telegram-bot-api-secret-token' };

/**
 * Each platform's webhook: well-formed updates with hostile text and ids, the same with a few fields spoiled,
 * arbitrary JSON, broken and oversized bodies; with the right proof of origin, a wrong one or none; with odd
 * headers, methods and paths. A well-formed update with the right proof is accepted (200), anything else refused.
 */
export function webhookTargets(fz: FuzzService): FuzzTarget[] {
  return WEBHOOK_PLATFORMS.map((platform) => {
    const update = fc
      .record({ chatId: fc.integer({ min: 1, max: 2 ** 40 }), updateId: fc.integer({ min: 1, max: 2 ** 40 }), text: hostileText(25_000) })
      .map(({ chatId, updateId, text }) => JSON.parse(fz.platforms.privateText(platform, { chatId: String(chatId), updateId: String(updateId), text }).body) as unknown);
    const value = fc.oneof({ weight: 6, arbitrary: update.chain((template) => mutated(template, FIELDS[platform])) }, { weight: 2, arbitrary: hostileJson(FIELDS[platform]) });
    const cases = fc
      .record({
        method: hostileMethod,
        path: pathVariant(WEBHOOK_PATHS[platform]),
        body: hostileBody(value, BODY_LIMIT),
        proof: fc.oneof(
          { weight: 6, arbitrary: fc.constant({ kind: 'valid' as const }) },
          { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
          { weight: 1, arbitrary: headerValue.map((value) => ({ kind: 'given' as const, value })) },
        ),
        extra: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileHeaders }),
      })
      .map(({ method, path, body, proof, extra }) => {
        const proofHeaders = proof.kind === 'missing' ? {} : { [SECRET_HEADERS[platform]]: proof.kind === 'valid' ? validProof(fz, platform, body) : proof.value };
        return { method, path, body, headers: { 'content-type': 'application/json', ...proofHeaders, ...extra } };
      });
    return { name: `POST ${WEBHOOK_PATHS[platform]}`, cases, allowedWrites: [], bodyLimit: BODY_LIMIT };
  });
}

function validProof(fz: FuzzService, platform: WebhookPlatform, body: Buffer): string {
  if (platform === 'zalo') return ZALO_WEBHOOK_SECRET;
  if (platform === 'telegram') return TELEGRAM_WEBHOOK_SECRET;
  return fz.platforms.zaloOaSignature(body);
}
