import type { AuditLog } from '../audit/audit-log.js';
import type { Outbox } from '../channels/outbound/outbox.js';
import type { SealedBox } from '../platform/crypto/sealed-box.js';
import type { Translator } from '../platform/i18n.js';
import type { Datastore } from '../platform/redis/datastore.js';
import { TipQueue } from './tip-notices.js';
import { TipStore } from './tip-store.js';
import { DEFAULT_TIP_LIMITS, Tips, type TipLimits } from './tips.js';

export interface TipParts {
  datastore: Datastore;
  box: SealedBox;
  audit: AuditLog;
  outbox: Outbox;
  translator: Translator;
  limits?: TipLimits;
  now?: () => Date;
}

/** The tips module on its dependencies, for the service, one-shot commands and tests alike. */
export function assembleTips(parts: TipParts): Tips {
  const { datastore } = parts;
  return new Tips({
    store: new TipStore(datastore.redis, datastore.prefix, parts.box),
    box: parts.box,
    audit: parts.audit,
    outbox: parts.outbox,
    queue: new TipQueue(datastore.connect('worker'), datastore.prefix),
    translator: parts.translator,
    limits: parts.limits ?? DEFAULT_TIP_LIMITS,
    now: parts.now ?? (() => new Date()),
  });
}
