import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../test/support/redis.js';
import { loadKeyring } from './keyring.js';
import { SealedBox, SealError } from './sealed-box.js';

const b64 = () => randomBytes(32).toString('base64');

describe('SealedBox', () => {
  it('round-trips, binds the value to its context, and still opens values sealed with an older key', () => {
    const oldKey = b64();
    const before = new SealedBox(loadKeyring({ encryptionKeys: `k1:${oldKey}`, hmacSecret: b64(), file: '/nonexistent' }, silentLogger()));
    const sealed = before.sealJson({ text: 'có người bán ma túy ở ngõ 5 🙏' }, 'tip:1');
    expect(sealed).not.toContain('ngõ');
    expect(sealed.startsWith('v1.k1.')).toBe(true);

    const rotated = new SealedBox(loadKeyring({ encryptionKeys: `k2:${b64()},k1:${oldKey}`, hmacSecret: b64(), file: '/nonexistent' }, silentLogger()));
    expect(rotated.openJson(sealed, 'tip:1')).toEqual({ text: 'có người bán ma túy ở ngõ 5 🙏' });
    expect(rotated.seal('x', 'c').startsWith('v1.k2.')).toBe(true);
    expect(() => rotated.open(sealed, 'tip:2')).toThrow(SealError);
    // A character inside the value, not at its end, whose last bits base64 may ignore: always a different byte.
    const at = sealed.length - 6;
    const tampered = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(() => rotated.open(tampered, 'tip:1')).toThrow(SealError);
    expect(() => rotated.open('garbage', 'tip:1')).toThrow(SealError);
  });

  it('gives every sealed value an IV of its own, across refills of the IV pool', () => {
    const box = new SealedBox(loadKeyring({ encryptionKeys: `k1:${b64()}`, hmacSecret: b64(), file: '/nonexistent' }, silentLogger()));
    const sealed = Array.from({ length: 1_000 }, (_, i) => box.seal(`tin ${i}`, `inbound:${i}`));
    const ivs = sealed.map((value) => value.split('.')[2]);
    expect(new Set(ivs).size).toBe(sealed.length);
    expect(ivs.every((iv) => Buffer.from(iv!, 'base64url').length === 12)).toBe(true);
    sealed.forEach((value, i) => expect(box.open(value, `inbound:${i}`).toString('utf8')).toBe(`tin ${i}`));
  });

  it('hashes identifiers with a secret key, per purpose', () => {
    const secret = b64();
    const box = new SealedBox(loadKeyring({ encryptionKeys: `k1:${b64()}`, hmacSecret: secret, file: '/nonexistent' }, silentLogger()));
    const other = new SealedBox(loadKeyring({ encryptionKeys: `k1:${b64()}`, hmacSecret: b64(), file: '/nonexistent' }, silentLogger()));
    expect(box.hash('chat', '12345')).toBe(box.hash('chat', '12345'));
    expect(box.hash('chat', '12345')).not.toBe(box.hash('code', '12345'));
    expect(box.hash('chat', '12345')).not.toBe(other.hash('chat', '12345'));
    expect(box.hash('chat', '12345')).toMatch(/^[\w-]{43}$/);
  });

  it('creates a private secrets file on first start and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lp-keys-')), 'secrets', 'keys.json');
    const first = loadKeyring({ encryptionKeys: undefined, hmacSecret: undefined, file }, silentLogger());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadKeyring({ encryptionKeys: undefined, hmacSecret: undefined, file }, silentLogger());
    expect(second.current.key.equals(first.current.key)).toBe(true);
    expect(second.hmacKey.equals(first.hmacKey)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).encryption[0].id).toBe('k1');
  });
});
