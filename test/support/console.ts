import type { Role } from '../../src/accounts/schemas.js';
import { UserStore } from '../../src/accounts/user-store.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { SESSION_COOKIE } from '../../src/console/auth/cookies.js';
import { CSRF_FIELD } from '../../src/console/auth/csrf.js';
import { Sessions } from '../../src/console/auth/sessions.js';
import { loadKeyring } from '../../src/platform/crypto/keyring.js';
import { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { silentLogger } from './redis.js';
import type { TestService } from './service.js';

export interface ConsoleBrowser {
  username: string;
  /** GET a console page; redirects are not followed, so a 303 to the login page shows. */
  get(path: string): Promise<{ status: number; body: string; headers: Headers }>;
  /** POST a console form with this session's CSRF token added. */
  post(path: string, form: Record<string, string>): Promise<{ status: number; body: string; headers: Headers }>;
}

/**
 * A signed-in console user without going through the login pages (those have their own tests): the account is
 * created with the role, and a session is opened for it directly.
 */
export async function signedIn(service: TestService, username: string, role: Role): Promise<ConsoleBrowser> {
  const { redis, prefix } = service.datastore;
  const box = new SealedBox(loadKeyring(service.config.secrets, silentLogger()));
  const users = new UserStore(redis, prefix, new AuditLog(redis, prefix));
  if (!(await users.get(username))) await users.add({ username, displayName: username, role, password: 'a long test password' }, 'test');
  const sessions = new Sessions(redis, prefix, box, users);
  const id = await sessions.create(username);
  const csrf = (await sessions.find(id))!.csrf;
  const cookie = `${SESSION_COOKIE}=${id}`;
  const answer = async (response: Response) => ({ status: response.status, body: await response.text(), headers: response.headers });
  return {
    username,
    get: async (path) => answer(await fetch(`${service.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' })),
    post: async (path, form) =>
      answer(
        await fetch(`${service.baseUrl}${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...form, [CSRF_FIELD]: csrf }).toString(),
          redirect: 'manual',
        }),
      ),
  };
}
