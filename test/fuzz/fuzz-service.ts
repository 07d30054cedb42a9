import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ApiTokens } from '../../src/accounts/api-tokens.js';
import type { Role } from '../../src/accounts/schemas.js';
import { UserStore } from '../../src/accounts/user-store.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { PendingLogins } from '../../src/console/auth/pending-logins.js';
import { newTotpSecret } from '../../src/console/auth/totp.js';
import { loadKeyring } from '../../src/platform/crypto/keyring.js';
import { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startService, type Service } from '../../src/service.js';
import { deleteKeys } from '../support/keys.js';
import { WebhookPlatforms } from '../support/webhook-platforms.js';

/** A console account whose password the fuzzer knows, so that some logins succeed. */
export const KNOWN_USER = { username: 'fuzz.staff', password: 'một mật khẩu đủ dài cho fuzz' } as const;
/** One API caller per role; each endpoint is fuzzed with the role it lets in and with the others. */
export const ROLE_NAMES: Record<Role, string> = { admin: 'fuzz.admin', staff: 'fuzz.staff', approver: 'fuzz.approver', police: 'fuzz.police' };

/** Ids of real records, so that fuzzed requests reach past "no such id" into the checks of a record's own input. */
export interface SeededIds {
  tip: string;
  question: string;
  schedule: string;
}

export interface FuzzService {
  service: Service;
  /** A browser's login id whose password step passed for the police account: its code step waits. */
  pendingLoginId: string;
  baseUrl: string;
  platforms: WebhookPlatforms;
  tokens: Record<Role, string>;
  seeded: SeededIds;
  /** A connection of the fuzzer's own, to look at what the service stored. */
  redis: Redis;
  prefix: string;
  stop(): Promise<void>;
}

/**
 * The whole service (HTTP, workers, every webhook platform against local fakes) on `redisUrl` under a fresh key
 * prefix, with API tokens for each role and one tip, question and schedule to aim at. Works outside vitest too.
 */
export async function startFuzzService(serverUrl: string): Promise<FuzzService> {
  const redisUrl = fuzzDatabase(serverUrl);
  const platforms = await new WebhookPlatforms().start();
  const prefix = `lpfuzz-${randomBytes(6).toString('hex')}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let service: Service | undefined;
  const stop = async () => {
    await service?.lifecycle.shutdown('fuzzing finished');
    await platforms.close();
    await deleteKeys(redis, prefix);
    await redis.quit();
  };
  try {
    const config = loadConfig({
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      PORT: '0',
      LOG_LEVEL: 'silent',
      SANDBOX_ENABLED: 'true',
      ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      HMAC_SECRET: randomBytes(32).toString('base64'),
      ...platforms.env,
    });
    service = await startService(config, createLogger('silent'), 'serve');
    const audit = new AuditLog(service.datastore.redis, prefix);
    const box = new SealedBox(loadKeyring(config.secrets, createLogger('silent')));
    const users = new UserStore(service.datastore.redis, prefix, audit, undefined, box);
    const apiTokens = new ApiTokens(service.datastore.redis, prefix, box, users, audit);
    const tokens = {} as Record<Role, string>;
    for (const [role, username] of Object.entries(ROLE_NAMES) as [Role, string][]) {
      const password = username === KNOWN_USER.username ? KNOWN_USER.password : randomBytes(16).toString('hex');
      await users.add({ username, displayName: username, role, password }, 'fuzz');
      tokens[role] = await apiTokens.issue(username, 'fuzz');
    }
    await users.setTotpSecret(ROLE_NAMES.police, newTotpSecret(), 'fuzz');
    const pendingLoginId = randomBytes(32).toString('base64url');
    await new PendingLogins(service.datastore.redis, prefix, box).start(pendingLoginId, ROLE_NAMES.police);
    return { service, pendingLoginId, baseUrl: `http://127.0.0.1:${service.http!.port}`, platforms, tokens, seeded: await seed(service), redis, prefix, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The same Redis server, in a database of the fuzzer's own: every case scans the keys twice, and a scan walks the
 * whole database, which other tests and benchmarks fill with hundreds of thousands of keys.
 */
const FUZZ_DATABASE = 7;

function fuzzDatabase(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${FUZZ_DATABASE}`;
  return url.toString();
}

async function seed(service: Service): Promise<SeededIds> {
  const tip = await service.tips.submit(
    { category: 'use-place', where: 'Ngõ 12', what: 'Có người tụ tập sử dụng ma túy trong nhà kho cuối ngõ.' },
    { kind: 'web', address: 'fuzz-seed', locale: 'vi' },
  );
  const question = await service.questions.ask('Cho tôi hỏi giờ làm việc của công an phường vào thứ bảy?', { platform: 'sandbox', chatId: 'fuzz-seed', locale: 'vi' }, 'unanswered');
  const group = await service.groups.register({ platform: 'sandbox', chatId: 'fuzz-seed', name: 'Tổ dân phố fuzz', tags: [] }, 'fuzz');
  await service.groups.approve(group.id, 'fuzz');
  const nextYear = new Date().getUTCFullYear() + 1;
  const schedule = await service.broadcasts.create(
    { title: 'Fuzz seed', timing: { kind: 'once', at: `${nextYear}-06-05 09:00` }, target: { kind: 'all' }, content: { kind: 'message', campaign: '2026-thang-hanh-dong', message: 'to-giac-vi-sao-01' } },
    { name: ROLE_NAMES.staff, role: 'staff' },
  );
  if (!schedule) throw new Error('the seed schedule was not created');
  return { tip: tip.id, question: question.id, schedule: schedule.id };
}
