import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SealedBox } from '../../platform/crypto/sealed-box.js';
import { clientKey } from './client-key.js';

function box(hmacKey = randomBytes(32)): SealedBox {
  const key = randomBytes(32);
  return new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey });
}

describe('clientKey', () => {
  const morning = new Date('2026-06-26T01:00:00Z');
  const evening = new Date('2026-06-26T23:59:59Z');
  const nextDay = new Date('2026-06-27T00:00:00Z');

  it('is the same for one address all day, and differs between addresses', () => {
    const b = box();
    expect(clientKey(b, '203.0.113.7', morning)).toBe(clientKey(b, '203.0.113.7', evening));
    expect(clientKey(b, '203.0.113.7', morning)).not.toBe(clientKey(b, '203.0.113.8', morning));
  });

  it('changes at midnight UTC, so visits on different days cannot be linked', () => {
    const b = box();
    expect(clientKey(b, '203.0.113.7', evening)).not.toBe(clientKey(b, '203.0.113.7', nextDay));
  });

  it('holds nothing of the address, and depends on the secret', () => {
    const secret = randomBytes(32);
    const key = clientKey(box(secret), '203.0.113.7', morning);
    expect(key).not.toContain('203');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(clientKey(box(secret), '203.0.113.7', morning)).toBe(key);
    expect(clientKey(box(), '203.0.113.7', morning)).not.toBe(key);
  });
});
