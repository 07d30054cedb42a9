import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/platform/config.js';
import type { Logger } from '../../src/platform/logger.js';
import { startService, type Service, type ServiceMode } from '../../src/service.js';
import { deleteKeys, silentLogger, testPrefix, testRedis, testRedisUrl } from './redis.js';

export interface TestService extends Service {
  baseUrl: string;
  /** The settings it runs on, so a CLI process started with them works on the same data. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** The whole service on the test Redis, under a key prefix of its own, with fresh keys and a free port. */
export async function startTestService(env: NodeJS.ProcessEnv = {}, mode: ServiceMode = 'serve', logger: Logger = silentLogger()): Promise<TestService> {
  const prefix = testPrefix();
  const settings = {
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: prefix,
    PORT: '0',
    ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    HMAC_SECRET: randomBytes(32).toString('base64'),
    ...env,
  };
  const service = await startService(loadConfig(settings), logger, mode);
  return {
    ...service,
    env: settings,
    baseUrl: `http://127.0.0.1:${service.http?.port ?? 0}`,
    async stop() {
      await service.lifecycle.shutdown('test finished');
      const redis = testRedis();
      await deleteKeys(redis, prefix);
      await redis.quit();
    },
  };
}
