import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

export class SealError extends Error {
  readonly code = 'UNSEALABLE';
}

const VERSION = 'v1';
const IV_BYTES = 12;
/** IVs are cut from random bytes drawn this many at a time: one call into the CSPRNG per 341 seals rather than each. */
const IV_POOL_BYTES = IV_BYTES * 341;

/**
 * AES-256-GCM for data at rest. A sealed value names its key id, so values sealed before a key rotation still open.
 * `context` (e.g. the record's key) is authenticated but not stored: a value moved to another record does not open.
 */
export class SealedBox {
  private ivPool = Buffer.alloc(0);
  private ivUsed = 0;

  constructor(private readonly keyring: Keyring) {}

  /** A fresh random IV; a new pool is drawn rather than the old one refilled, so no IV handed out is ever overwritten. */
  private nextIv(): Buffer {
    if (this.ivUsed === this.ivPool.length) {
      this.ivPool = randomBytes(IV_POOL_BYTES);
      this.ivUsed = 0;
    }
    this.ivUsed += IV_BYTES;
    return this.ivPool.subarray(this.ivUsed - IV_BYTES, this.ivUsed);
  }

  seal(plaintext: string | Buffer, context: string): string {
    const { id, key } = this.keyring.current;
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [VERSION, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): Buffer {
    const [version, id, iv, tag, body] = sealed.split('.');
    const key = id === undefined ? undefined : this.keyring.byId.get(id);
    if (version !== VERSION || !key || iv === undefined || tag === undefined || body === undefined) {
      throw new SealError(`cannot open a value sealed with ${version}/${id ?? '?'}`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
    } catch {
      throw new SealError('the sealed value was altered, or belongs to another record');
    }
  }

  sealJson(value: unknown, context: string): string {
    return this.seal(JSON.stringify(value), context);
  }

  openJson(sealed: string, context: string): unknown {
    return JSON.parse(this.open(sealed, context).toString('utf8'));
  }

  /** A keyed hash: a stable lookup key for an identifier that cannot be reversed from a copy of the database. */
  hash(purpose: string, value: string): string {
    return createHmac('sha256', this.keyring.hmacKey).update(purpose).update('\0').update(value).digest('base64url');
  }
}
