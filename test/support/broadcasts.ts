import { randomBytes } from 'node:crypto';
import { AuditLog } from '../../src/audit/audit-log.js';
import { assembleBroadcasts } from '../../src/broadcasts/assemble.js';
import type { Broadcasts } from '../../src/broadcasts/broadcasts.js';
import type { Actor } from '../../src/accounts/actor.js';
import type { Platform } from '../../src/channels/channel.js';
import { Outbox } from '../../src/channels/outbound/outbox.js';
import { loadLibrary } from '../../src/content/load-library.js';
import type { ContentLibrary } from '../../src/content/schemas.js';
import { GroupRegistry } from '../../src/groups/group-registry.js';
import type { Group } from '../../src/groups/schemas.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { loadKeyring } from '../../src/platform/crypto/keyring.js';
import { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { createTranslator } from '../../src/platform/i18n.js';
import { shippedContentDir } from '../../src/platform/paths.js';
import { Datastore } from '../../src/platform/redis/datastore.js';
import { deleteKeys, silentLogger, testPrefix, testRedis, testRedisUrl } from './redis.js';

export const staff: Actor = { name: 'lan.staff', role: 'staff' };
export const approver: Actor = { name: 'hung.approver', role: 'approver' };

let shipped: Promise<ContentLibrary> | undefined;

/** The shipped content library, loaded once per test file. */
export function shippedLibrary(): Promise<ContentLibrary> {
  shipped ??= createTranslator('vi').then(async (translator) => (await loadLibrary(shippedContentDir, { t: translator.t('vi') })).library);
  return shipped;
}

export interface BroadcastHarness {
  broadcasts: Broadcasts;
  groups: GroupRegistry;
  outbox: Outbox;
  store: Datastore;
  config: Config;
  clock: { now: Date };
  /** Registers and approves `count` groups on a platform, tagged as given. */
  addGroups(count: number, options?: { platform?: Platform; tags?: string[]; name?: string }): Promise<Group[]>;
  close(): Promise<void>;
}

/** The broadcasts module on the test Redis with a clock the test moves, a real outbox and no workers. */
export async function broadcastHarness(env: NodeJS.ProcessEnv = {}, start = '2026-05-25T01:00:00Z'): Promise<BroadcastHarness> {
  const config = loadConfig({
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: testPrefix(),
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    HMAC_SECRET: randomBytes(32).toString('base64'),
    ...env,
  });
  const store = await Datastore.open(config, silentLogger());
  // From the configuration, so a worker process started with the same settings can open what this one seals.
  const box = new SealedBox(loadKeyring(config.secrets, silentLogger()));
  const outbox = new Outbox(store.redis, store.prefix, box, store.connect('worker'));
  const clock = { now: new Date(start) };
  const audit = new AuditLog(store.redis, store.prefix);
  const groups = new GroupRegistry(store.redis, store.prefix, audit);
  const broadcasts = assembleBroadcasts({
    datastore: store,
    outbox,
    groups,
    audit,
    library: await shippedLibrary(),
    config,
    translator: await createTranslator('vi'),
    logger: silentLogger(),
    platforms: ['sandbox'],
    now: () => clock.now,
  });
  let serial = 0;
  return {
    broadcasts,
    groups,
    outbox,
    store,
    config,
    clock,
    async addGroups(count, { platform = 'sandbox', tags = ['to-dan-pho'], name = 'Tổ dân phố' } = {}) {
      const added: Group[] = [];
      for (let i = 0; i < count; i++) {
        serial += 1;
        const group = await groups.register({ platform, chatId: `chat-${platform}-${serial}`, name: `${name} ${serial}`, tags }, 'test');
        added.push(await groups.approve(group.id, 'test'));
      }
      return added;
    },
    async close() {
      await broadcasts.close();
      await outbox.close();
      const redis = testRedis();
      await deleteKeys(redis, store.prefix);
      await redis.quit();
      await store.close();
    },
  };
}
