import type { Config } from '../platform/config.js';
import type { Datastore } from '../platform/redis/datastore.js';
import type { PlatformBundle } from './channel-layer.js';
import { SandboxChannel } from './sandbox/sandbox-channel.js';
import type { SandboxStore } from './sandbox/sandbox-store.js';

/** The platforms this configuration enables, each with its sender and its way of receiving. */
export function platformBundles(config: Config, deps: { store: Datastore; sandbox: SandboxStore }): PlatformBundle[] {
  const bundles: PlatformBundle[] = [];
  if (config.channels.sandbox.enabled) bundles.push({ adapter: new SandboxChannel(deps.sandbox) });
  return bundles;
}
