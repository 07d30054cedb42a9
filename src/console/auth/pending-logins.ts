import type { Redis } from 'ioredis';
import type { SealedBox } from '../../platform/crypto/sealed-box.js';

/** Time to open the authenticator app and type the code. */
const PENDING_SECONDS = 5 * 60;

/**
 * Logins whose password was right and that wait for the TOTP code, by the browser's login cookie. Nothing here is
 * a session: until the code is right, the browser can do nothing but type it.
 */
export class PendingLogins {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly box: Pick<SealedBox, 'hash'>,
  ) {}

  async start(loginId: string, username: string): Promise<void> {
    await this.redis.set(this.key(loginId), username, 'EX', PENDING_SECONDS);
  }

  /** The username waiting for its code, if the wait has not timed out. */
  async find(loginId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(loginId))) ?? undefined;
  }

  async end(loginId: string): Promise<void> {
    await this.redis.del(this.key(loginId));
  }

  private key(loginId: string): string {
    return `${this.prefix}:console:login-pending:${this.box.hash('console-login', loginId)}`;
  }
}
