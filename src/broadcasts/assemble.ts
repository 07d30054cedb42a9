import type { AuditLog } from '../audit/audit-log.js';
import type { Platform } from '../channels/channel.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import { placeholderValues } from '../content/placeholder-values.js';
import type { ContentLibrary } from '../content/schemas.js';
import type { GroupRegistry } from '../groups/group-registry.js';
import type { Config } from '../platform/config.js';
import type { Translator } from '../platform/i18n.js';
import type { Logger } from '../platform/logger.js';
import type { Datastore } from '../platform/redis/datastore.js';
import { Broadcasts } from './broadcasts.js';
import { BroadcastContentSource } from './content-source.js';
import { Rotation } from './rotation.js';
import { ScheduleStore } from './schedule-store.js';
import { BroadcastTriggers } from './triggers.js';

export interface BroadcastParts {
  datastore: Datastore;
  outbox: Outbox;
  groups: GroupRegistry;
  audit: AuditLog;
  library: ContentLibrary;
  config: Config;
  translator: Translator;
  logger: Logger;
  platforms: readonly Platform[];
  now?: () => Date;
}

/** The broadcasts module on its dependencies, for the service and for one-shot CLI commands alike. */
export function assembleBroadcasts(parts: BroadcastParts): Broadcasts {
  const { datastore, config, translator } = parts;
  const store = new ScheduleStore(datastore.redis, datastore.prefix);
  return new Broadcasts({
    store,
    rotation: new Rotation(datastore.redis, store.keys),
    groups: parts.groups,
    content: new BroadcastContentSource(parts.library, (locale) => placeholderValues(config, locale, translator.t(locale))),
    outbox: parts.outbox,
    triggers: new BroadcastTriggers(datastore.connect('worker'), datastore.prefix),
    audit: parts.audit,
    timeZone: config.timeZone,
    quietHours: config.quietHours,
    locale: config.locale.default,
    logger: parts.logger.child({ module: 'broadcasts' }),
    platforms: parts.platforms,
    now: parts.now ?? (() => new Date()),
  });
}
