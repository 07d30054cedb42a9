import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SealedBox } from '../../platform/crypto/sealed-box.js';
import { csrfField, loginCsrfToken, newCsrfSecret, sameToken } from './csrf.js';

function box(): SealedBox {
  const key = randomBytes(32);
  return new SealedBox({ current: { id: 'k1', key }, byId: new Map([['k1', key]]), hmacKey: randomBytes(32) });
}

describe('CSRF tokens', () => {
  it('accepts only the exact token', () => {
    const token = newCsrfSecret();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sameToken(token, token)).toBe(true);
    for (const wrong of [undefined, null, 42, ['x'], '', token.slice(1), `${token}x`, newCsrfSecret(), token.toUpperCase()]) {
      expect(sameToken(token, wrong), String(wrong)).toBe(false);
    }
    expect(sameToken('', '')).toBe(false);
  });

  it("derives the login form's token from the login cookie with the service's key only", () => {
    const mine = box();
    const loginId = newCsrfSecret();
    const token = loginCsrfToken(mine, loginId);
    expect(token).not.toContain(loginId);
    expect(loginCsrfToken(mine, loginId)).toBe(token);
    expect(loginCsrfToken(mine, newCsrfSecret())).not.toBe(token);
    expect(loginCsrfToken(box(), loginId)).not.toBe(token);
  });

  it('puts the token in a hidden field, escaped', () => {
    expect(csrfField('a"><b').value).toBe('<input type="hidden" name="csrf" value="a&quot;&gt;&lt;b">');
  });
});
