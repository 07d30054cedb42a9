import { randomBytes } from 'node:crypto';
import { AuditLog } from '../../src/audit/audit-log.js';
import { Outbox } from '../../src/channels/outbound/outbox.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { loadKeyring } from '../../src/platform/crypto/keyring.js';
import { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { Datastore } from '../../src/platform/redis/datastore.js';
import { deleteKeys, silentLogger, testPrefix, testRedis, testRedisUrl } from './redis.js';

/** Settings for one test: the test Redis under a prefix of its own, fresh keys, no logging; `env` overrides any. */
export function testConfig(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: testPrefix(),
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    HMAC_SECRET: randomBytes(32).toString('base64'),
    ...env,
  });
}

export interface ModuleParts {
  store: Datastore;
  box: SealedBox;
  outbox: Outbox;
  audit: AuditLog;
}

/** What every module is assembled from, opened on the configured Redis; the caller closes the outbox and the store. */
export async function openModuleParts(config: Config): Promise<ModuleParts> {
  const store = await Datastore.open(config, silentLogger());
  // From the configuration, so another process started with the same settings can open what this one seals.
  const box = new SealedBox(loadKeyring(config.secrets, silentLogger()));
  const outbox = new Outbox(store.redis, store.prefix, box, store.connect('worker'));
  const audit = new AuditLog(store.redis, store.prefix);
  return { store, box, outbox, audit };
}

/** Ends what `openModuleParts` opened and removes every key the test left under its prefix. */
export async function closeModuleParts({ store, outbox }: Pick<ModuleParts, 'store' | 'outbox'>): Promise<void> {
  await outbox.close();
  const redis = testRedis();
  await deleteKeys(redis, store.prefix);
  await redis.quit();
  await store.close();
}
