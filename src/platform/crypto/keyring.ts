import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/**
 * The service's own secrets: AES-256-GCM keys (the first is current; older ones only decrypt, so keys can be
 * rotated) and one HMAC key for lookups by hashed identifiers and receipt codes.
 */
export interface Keyring {
  current: { id: string; key: Buffer };
  byId: ReadonlyMap<string, Buffer>;
  hmacKey: Buffer;
}

const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/)
  .transform((b64) => Buffer.from(b64, 'base64'));

const secretsFileSchema = z.object({
  encryption: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/), key: base64Key })).min(1),
  hmac: base64Key,
});

export class SecretsError extends Error {
  readonly code = 'SECRETS_INVALID';
}

/** `id:base64,id:base64` — the format of ENCRYPTION_KEYS, already checked by the config schema. */
function parseKeyList(spec: string): Array<{ id: string; key: Buffer }> {
  return spec.split(',').map((pair) => {
    const [id, b64] = pair.split(':') as [string, string];
    return { id, key: Buffer.from(b64, 'base64') };
  });
}

function readOrCreateFile(file: string, logger: Logger): z.infer<typeof secretsFileSchema> {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const fresh = { encryption: [{ id: 'k1', key: randomBytes(32).toString('base64') }], hmac: randomBytes(32).toString('base64') };
    writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    logger.warn({ file }, 'created new encryption and HMAC keys; back this file up with the Redis data, or set ENCRYPTION_KEYS and HMAC_SECRET');
  }
  const parsed = secretsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new SecretsError(`The secrets file ${file} is not valid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function loadKeyring(secrets: Config['secrets'], logger: Logger): Keyring {
  const needFile = !secrets.encryptionKeys || !secrets.hmacSecret;
  const fromFile = needFile ? readOrCreateFile(secrets.file, logger) : undefined;
  const keys = secrets.encryptionKeys ? parseKeyList(secrets.encryptionKeys) : fromFile!.encryption;
  const hmacKey = secrets.hmacSecret ? Buffer.from(secrets.hmacSecret, 'base64') : fromFile!.hmac;
  return { current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k.key])), hmacKey };
}
