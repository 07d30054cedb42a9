import { describe, expect, it } from 'vitest';
import { base32, matchTotp, newTotpSecret, otpauthUri, totpCode, totpStep } from './totp.js';

/** RFC 6238 appendix B, SHA-1 rows: the 8-digit codes, of which a 6-digit code is the last six digits. */
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const at = (seconds: number) => new Date(seconds * 1000);

describe('TOTP', () => {
  it.each(RFC_VECTORS)('matches the RFC 6238 vector at T=%i', (seconds, code) => {
    expect(totpCode(RFC_SECRET, totpStep(at(seconds)))).toBe(code.slice(-6));
  });

  it('accepts the code of the current step and one either side, and names the step it matched', () => {
    const now = at(1111111111);
    const step = totpStep(now);
    for (const offset of [-1, 0, 1]) expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step + offset), now)).toBe(step + offset);
    for (const offset of [-3, -2, 2, 3]) expect(matchTotp(RFC_SECRET, totpCode(RFC_SECRET, step + offset), now)).toBeUndefined();
  });

  it('forgives spaces but refuses anything that is not six digits, and codes for another secret', () => {
    const now = at(1234567890);
    const code = totpCode(RFC_SECRET, totpStep(now));
    expect(matchTotp(RFC_SECRET, ` ${code.slice(0, 3)} ${code.slice(3)} `, now)).toBe(totpStep(now));
    for (const wrong of ['', '12345', '1234567', 'abcdef', `${code}0`, `${Number(code[0]) === 9 ? 0 : Number(code[0]) + 1}${code.slice(1)}`]) {
      expect(matchTotp(RFC_SECRET, wrong, now), wrong).toBeUndefined();
    }
    expect(matchTotp(newTotpSecret(), code, now)).toBeUndefined();
  });

  it('writes secrets in unpadded RFC 4648 base32 and as an otpauth URI', () => {
    const vectors: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of vectors) expect(base32(Buffer.from(plain))).toBe(encoded);
    expect(base32(RFC_SECRET)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(otpauthUri('cs.hung', RFC_SECRET)).toBe('otpauth://totp/Loa%20Phuong:cs.hung?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Loa%20Phuong');
  });

  it('makes a new 160-bit secret every time', () => {
    const secrets = new Set(Array.from({ length: 20 }, () => newTotpSecret().toString('hex')));
    expect(secrets.size).toBe(20);
    for (const s of secrets) expect(s).toHaveLength(40);
  });
});
