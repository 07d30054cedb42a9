import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import { AuditLog } from '../audit/audit-log.js';
import { ApiTokens, UserDisabledError } from '../accounts/api-tokens.js';
import { generatePassword } from '../accounts/password.js';
import { ROLES, roleSchema, type UserSummary } from '../accounts/schemas.js';
import { UserStore } from '../accounts/user-store.js';
import { base32, newTotpSecret, otpauthUri } from '../console/auth/totp.js';
import { loadKeyring } from '../platform/crypto/keyring.js';
import { SealedBox } from '../platform/crypto/sealed-box.js';
import { cliActor, cliLogger, withDatastore, type CliContext } from './context.js';
import { CliError } from './errors.js';
import { formatTable } from './table.js';

function userStore(ctx: CliContext, run: (users: UserStore) => Promise<void>): Promise<void> {
  return withDatastore(ctx, (store) => run(new UserStore(store.redis, store.prefix, new AuditLog(store.redis, store.prefix))));
}

/** Tokens are hashed with the service's HMAC key, so the command reads the same keys the service does. */
function apiTokens(ctx: CliContext, run: (tokens: ApiTokens) => Promise<void>): Promise<void> {
  return withDatastore(ctx, (store, config) => {
    const audit = new AuditLog(store.redis, store.prefix);
    const box = new SealedBox(loadKeyring(config.secrets, cliLogger(config)));
    return run(new ApiTokens(store.redis, store.prefix, box, new UserStore(store.redis, store.prefix, audit), audit));
  });
}

/** TOTP secrets are sealed with the service's keys, so the command reads the same keys the service does. */
function sealingUserStore(ctx: CliContext, run: (users: UserStore) => Promise<void>): Promise<void> {
  return withDatastore(ctx, (store, config) => {
    const box = new SealedBox(loadKeyring(config.secrets, cliLogger(config)));
    return run(new UserStore(store.redis, store.prefix, new AuditLog(store.redis, store.prefix), undefined, box));
  });
}

function table(ctx: CliContext, users: UserSummary[]): string[] {
  return formatTable(
    ctx.t('cli:users.list.header').split('|'),
    users.map((u) => [u.username, u.role, ctx.t(`cli:users.status.${u.status}`), u.displayName, u.createdAt.slice(0, 10)]),
  );
}

export function registerUsersCommands(program: Command, ctx: CliContext): void {
  const users = program.command('users').description(ctx.t('cli:users.description'));

  users
    .command('add')
    .description(ctx.t('cli:users.add.description'))
    .argument('<username>', ctx.t('cli:users.add.username'))
    .requiredOption('-r, --role <role>', ctx.t('cli:users.add.role', { roles: ROLES.join('|') }))
    .option('-n, --name <name>', ctx.t('cli:users.add.name'))
    .option('--password-stdin', ctx.t('cli:users.add.passwordStdin'))
    .action(async (username: string, options: { role: string; name?: string; passwordStdin?: boolean }) => {
      const role = roleSchema.safeParse(options.role);
      if (!role.success) throw new CliError(ctx.t('cli:errors.invalidInput', { field: '--role', problem: ROLES.join(', ') }));
      let password = generatePassword();
      if (options.passwordStdin) {
        password = (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
        if (!password) throw new CliError(ctx.t('cli:errors.emptyPassword'));
      }
      await userStore(ctx, async (store) => {
        const user = await store.add(
          { username, role: role.data, displayName: options.name ?? username, password },
          cliActor(ctx.env),
        );
        ctx.out(ctx.t('cli:users.add.done', { username: user.username, role: user.role }));
        if (!options.passwordStdin) ctx.out(ctx.t('cli:users.add.generated', { password }));
      });
    });

  users
    .command('list')
    .description(ctx.t('cli:users.list.description'))
    .action(() =>
      userStore(ctx, async (store) => {
        const all = await store.list();
        for (const line of all.length === 0 ? [ctx.t('cli:users.list.empty')] : table(ctx, all)) ctx.out(line);
      }),
    );

  users
    .command('disable')
    .description(ctx.t('cli:users.disable.description'))
    .argument('<username>', ctx.t('cli:users.add.username'))
    .action((username: string) =>
      userStore(ctx, async (store) => {
        const user = await store.disable(username, cliActor(ctx.env));
        ctx.out(ctx.t('cli:users.disable.done', { username: user.username }));
      }),
    );

  users
    .command('token')
    .description(ctx.t('cli:users.token.description'))
    .argument('<username>', ctx.t('cli:users.add.username'))
    .option('--revoke', ctx.t('cli:users.token.revoke'))
    .action((username: string, options: { revoke?: boolean }) =>
      apiTokens(ctx, async (tokens) => {
        if (options.revoke) {
          const revoked = await tokens.revoke(username, cliActor(ctx.env));
          ctx.out(ctx.t(revoked ? 'cli:users.token.revoked' : 'cli:users.token.none', { username }));
          return;
        }
        try {
          const token = await tokens.issue(username, cliActor(ctx.env));
          ctx.out(ctx.t('cli:users.token.issued', { username }));
          // On a line of its own, so a script can take it with `tail -n 1`.
          ctx.out(token);
        } catch (err) {
          if (err instanceof UserDisabledError) throw new CliError(ctx.t('cli:users.token.disabled', { username }));
          throw err;
        }
      }),
    );

  users
    .command('totp')
    .description(ctx.t('cli:users.totp.description'))
    .argument('<username>', ctx.t('cli:users.add.username'))
    .option('--remove', ctx.t('cli:users.totp.remove'))
    .action((username: string, options: { remove?: boolean }) =>
      sealingUserStore(ctx, async (store) => {
        if (options.remove) {
          const removed = await store.removeTotpSecret(username, cliActor(ctx.env));
          ctx.out(ctx.t(removed ? 'cli:users.totp.removed' : 'cli:users.totp.none', { username }));
          return;
        }
        const secret = newTotpSecret();
        await store.setTotpSecret(username, secret, cliActor(ctx.env));
        ctx.out(ctx.t('cli:users.totp.enrolled', { username }));
        // Each on a line of its own: the secret to type into an app, the link to turn into a QR code.
        ctx.out(base32(secret));
        ctx.out(otpauthUri(username, secret));
      }),
    );
}
