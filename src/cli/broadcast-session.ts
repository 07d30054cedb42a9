import type { Actor } from '../accounts/actor.js';
import { UserStore } from '../accounts/user-store.js';
import { AuditLog } from '../audit/audit-log.js';
import { assembleBroadcasts } from '../broadcasts/assemble.js';
import type { Broadcasts } from '../broadcasts/broadcasts.js';
import { Outbox } from '../channels/outbound/outbox.js';
import { enabledPlatforms } from '../channels/platform-bundles.js';
import { loadLibrary } from '../content/load-library.js';
import { GroupRegistry } from '../groups/group-registry.js';
import type { Config } from '../platform/config.js';
import { loadKeyring } from '../platform/crypto/keyring.js';
import { SealedBox } from '../platform/crypto/sealed-box.js';
import { createTranslator } from '../platform/i18n.js';
import { cliActor, cliLogger, withDatastore, type CliContext } from './context.js';
import { CliError } from './errors.js';

export interface BroadcastSession {
  broadcasts: Broadcasts;
  actor: Actor;
  config: Config;
}

/**
 * Who a command acts as: a named account with its own role, which must exist and be active, or else the operator
 * at the console as admin (who may do everything but approve).
 */
async function actorFor(ctx: CliContext, users: UserStore, username: string | undefined): Promise<Actor> {
  if (username === undefined) return { name: cliActor(ctx.env), role: 'admin' };
  const user = await users.get(username);
  if (!user) throw new CliError(ctx.t('cli:errors.userNotFound', { username }));
  if (user.status !== 'active') throw new CliError(ctx.t('cli:broadcasts.userDisabled', { username }));
  return { name: user.username, role: user.role };
}

/** The broadcasts module as the service builds it, for one command, and closed again however the command ends. */
export function withBroadcasts(ctx: CliContext, as: string | undefined, run: (session: BroadcastSession) => Promise<void>): Promise<void> {
  return withDatastore(ctx, async (store, config) => {
    const { redis, prefix } = store;
    const logger = cliLogger(config);
    const audit = new AuditLog(redis, prefix);
    const actor = await actorFor(ctx, new UserStore(redis, prefix, audit), as);
    const translator = await createTranslator(config.locale.default);
    const { library, problems } = await loadLibrary(config.contentDir, { t: translator.t(config.locale.default) });
    const errors = problems.filter((p) => p.severity === 'error').length;
    // Broken items are left out, as the service leaves them out; `loaphuong content check` says what to fix.
    if (errors > 0) logger.warn({ errors }, 'content library has errors');
    const outbox = new Outbox(redis, prefix, new SealedBox(loadKeyring(config.secrets, logger)), store.connect('worker'));
    const broadcasts = assembleBroadcasts({
      datastore: store,
      outbox,
      groups: new GroupRegistry(redis, prefix, audit),
      audit,
      library,
      config,
      translator,
      logger,
      platforms: enabledPlatforms(config),
    });
    try {
      await run({ broadcasts, actor, config });
    } finally {
      await outbox.close();
      await broadcasts.close();
    }
  });
}
