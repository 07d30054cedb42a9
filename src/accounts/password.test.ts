import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

describe('passwords', () => {
  it('hashes with a per-password salt and verifies only the right password', async () => {
    const first = await hashPassword('cán bộ phường 2026');
    const second = await hashPassword('cán bộ phường 2026');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('cán bộ phường 2026', first)).toBe(true);
    // The same text typed with decomposed diacritics is the same password.
    expect(await verifyPassword('cán bộ phường 2026'.normalize('NFD'), first)).toBe(true);
    expect(await verifyPassword('can bo phuong 2026', first)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });

  it('generates long passwords without look-alike characters', () => {
    const passwords = new Set(Array.from({ length: 50 }, generatePassword));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
  });
});
