import type { AuditLog } from '../audit/audit-log.js';
import { ScheduleStore } from '../broadcasts/schedule-store.js';
import { DeliveryRecords } from '../channels/outbound/deliveries.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import type { ContentLibrary } from '../content/schemas.js';
import { GroupRegistry } from '../groups/group-registry.js';
import type { Config } from '../platform/config.js';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import type { Datastore } from '../platform/redis/datastore.js';
import { QuestionStore } from '../questions/question-store.js';
import { TipStore } from '../tips/tip-store.js';

/**
 * What a report reads, each through the module that owns it. Only records in clear, counters and the audit stream
 * are read: the sealed parts of tips and questions (text, photos, reply routes) are never opened.
 */
export interface ReportSources {
  schedules: ScheduleStore;
  outbox: Pick<Outbox, 'deliveries'>;
  groups: GroupRegistry;
  questions: QuestionStore;
  tips: TipStore;
  audit: AuditLog;
  /** Campaign periods and titles, and each message's topic. */
  library: ContentLibrary;
  timeZone: string;
  ward: Config['ward'];
  now: () => Date;
}

/** The sources on one datastore, for a one-shot command; the service can build the same from its modules. */
export function reportSourcesOn(datastore: Datastore, parts: { box: SealedBox; audit: AuditLog; library: ContentLibrary; config: Config; now?: () => Date }): ReportSources {
  const { redis, prefix } = datastore;
  return {
    schedules: new ScheduleStore(redis, prefix),
    outbox: { deliveries: new DeliveryRecords(redis, prefix) },
    groups: new GroupRegistry(redis, prefix, parts.audit),
    questions: new QuestionStore(redis, prefix, parts.box),
    tips: new TipStore(redis, prefix, parts.box),
    audit: parts.audit,
    library: parts.library,
    timeZone: parts.config.timeZone,
    ward: parts.config.ward,
    now: parts.now ?? (() => new Date()),
  };
}
