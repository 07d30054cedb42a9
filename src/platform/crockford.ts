import { randomInt } from 'node:crypto';

/** Crockford's alphabet: no I, L, O or U, so a code read aloud or copied by hand comes out right. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `length` random Crockford characters: 5 bits each. */
export function randomCrockford(length: number): string {
  return Array.from({ length }, () => CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)]).join('');
}

/** Accepts what people type: lower case, spaces, dashes, and the letters Crockford reads as digits. */
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}
