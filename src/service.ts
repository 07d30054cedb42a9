import type { Config } from './platform/config.js';
import { createApp } from './platform/http/app.js';
import { listen, type Listening } from './platform/http/server.js';
import { Lifecycle } from './platform/lifecycle.js';
import type { Logger } from './platform/logger.js';
import { Readiness, redisProbe, workersProbe, type RunningWorker } from './platform/readiness.js';
import { Datastore } from './platform/redis/datastore.js';

export type ServiceMode = 'serve' | 'worker';

export interface Service {
  config: Config;
  datastore: Datastore;
  lifecycle: Lifecycle;
  readiness: Readiness;
  workers: RunningWorker[];
  http: Listening | undefined;
}

/**
 * The composition root: opens the datastore, starts the workers and (in `serve` mode) the HTTP server, and
 * registers each for shutdown in reverse order — HTTP stops taking requests first, the datastore closes last.
 */
export async function startService(config: Config, logger: Logger, mode: ServiceMode): Promise<Service> {
  const lifecycle = new Lifecycle(logger);
  const datastore = await Datastore.open(config, logger);
  lifecycle.onShutdown('datastore', () => datastore.close());

  const workers: RunningWorker[] = [];
  const readiness = new Readiness();
  readiness.add('redis', redisProbe(datastore.redis));
  readiness.add('workers', workersProbe(() => workers));

  let http: Listening | undefined;
  if (mode === 'serve') {
    try {
      http = await listen(createApp({ readiness, logger }), config.http.host, config.http.port);
    } catch (err) {
      await lifecycle.shutdown('the HTTP server could not start');
      throw err;
    }
    lifecycle.onShutdown('http', () => http?.close());
    logger.info({ url: `http://${config.http.host}:${http.port}` }, 'listening');
  }
  return { config, datastore, lifecycle, readiness, workers, http };
}
