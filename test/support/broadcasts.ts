import { assembleBroadcasts } from '../../src/broadcasts/assemble.js';
import type { Broadcasts } from '../../src/broadcasts/broadcasts.js';
import type { Actor } from '../../src/accounts/actor.js';
import type { Platform } from '../../src/channels/channel.js';
import type { Outbox } from '../../src/channels/outbound/outbox.js';
import { loadLibrary } from '../../src/content/load-library.js';
import type { ContentLibrary } from '../../src/content/schemas.js';
import { GroupRegistry } from '../../src/groups/group-registry.js';
import type { Group } from '../../src/groups/schemas.js';
import type { Config } from '../../src/platform/config.js';
import { createTranslator } from '../../src/platform/i18n.js';
import { shippedContentDir } from '../../src/platform/paths.js';
import type { Datastore } from '../../src/platform/redis/datastore.js';
import { closeModuleParts, openModuleParts, testConfig } from './module-parts.js';
import { silentLogger } from './redis.js';

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
  const config = testConfig(env);
  const { store, outbox, audit } = await openModuleParts(config);
  const clock = { now: new Date(start) };
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
      await closeModuleParts({ store, outbox });
    },
  };
}
