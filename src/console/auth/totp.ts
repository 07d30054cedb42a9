import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238 as authenticator apps expect it by default: HMAC-SHA-1, 6 digits, 30-second steps. */
const STEP_SECONDS = 30;
const DIGITS = 6;
/** One step either side forgives a phone clock that is a little off, or a code typed just as it changed. */
const WINDOW = 1;
/** 160 bits, the size of an HMAC-SHA-1 key, as RFC 4226 recommends. */
const SECRET_BYTES = 20;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ISSUER = 'Loa Phuong';

export function newTotpSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** RFC 4648 base32 without padding: how authenticator apps take a secret typed in by hand. */
export function base32(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE32[(buffer << (5 - bits)) & 31] : out;
}

/** The secret as an `otpauth://` URI, for a QR code or an app's "enter a link" field. */
export function otpauthUri(username: string, secret: Buffer): string {
  const issuer = encodeURIComponent(ISSUER);
  return `otpauth://totp/${issuer}:${encodeURIComponent(username)}?secret=${base32(secret)}&issuer=${issuer}`;
}

export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS);
}

/** The code for one time step (RFC 4226's HOTP with the step as the counter). */
export function totpCode(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 10 ** DIGITS).padStart(DIGITS, '0');
}

/**
 * The time step a typed code belongs to, if it is the code of the current step or of one either side. The caller
 * must still refuse a step already used (see TotpReplayGuard): a code seen over someone's shoulder is not a second
 * factor.
 */
export function matchTotp(secret: Buffer, typed: string, at: Date): number | undefined {
  const code = typed.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${DIGITS}}$`).test(code)) return undefined;
  const current = totpStep(at);
  let matched: number | undefined;
  // Every candidate is compared, so the time taken does not say which step was close.
  for (let step = current - WINDOW; step <= current + WINDOW; step++) {
    if (timingSafeEqual(Buffer.from(totpCode(secret, step)), Buffer.from(code))) matched = step;
  }
  return matched;
}
