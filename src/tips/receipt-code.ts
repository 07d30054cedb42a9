import { normaliseCode, randomCrockford } from '../platform/crockford.js';

/** 16 Crockford characters: 80 random bits, in four groups of four that are easy to read aloud and type. */
const CODE_CHARACTERS = 16;
const CODE_SHAPE = /^[0-9A-HJKMNP-TV-Z]{16}$/;

export function newReceiptCode(): string {
  return randomCrockford(CODE_CHARACTERS).match(/.{4}/g)!.join('-');
}

/** The code as stored and compared, or undefined when what was typed cannot be a code at all. */
export function canonicalReceiptCode(typed: string): string | undefined {
  const code = normaliseCode(typed);
  return CODE_SHAPE.test(code) ? code : undefined;
}

/** Finds a code in free text such as "/ma abcd efgh jkmn pqrs cảm ơn" and returns it with the rest of the text. */
export function splitCodeAndText(text: string): { code?: string; rest: string } {
  const match = /^\s*([0-9A-Za-z]{4}[\s-]?[0-9A-Za-z]{4}[\s-]?[0-9A-Za-z]{4}[\s-]?[0-9A-Za-z]{4})(?=\s|$)/.exec(text);
  const code = match ? canonicalReceiptCode(match[1]!) : undefined;
  return code && match ? { code, rest: text.slice(match[0].length).trim() } : { rest: text.trim() };
}
