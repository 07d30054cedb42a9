import fc from 'fast-check';

/** Strings that have broken parsers, templates, databases and terminals before. */
export const TRICKY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202e\u0645\u0631\u062d\u0628\u0627 RTL',
  '\u200f\u200e\u200b\u2060',
  '\ufeff',
  '\ud800',
  '\udfff\ud800',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'then',
  '{{ward_name}}',
  '{{__proto__}}',
  '${process.exit(1)}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '%00',
  '%zz',
  '%',
  '\\',
  "' OR 1=1 --",
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '-9223372036854775809',
  'null',
  'undefined',
  'true',
  '[object Object]',
  '\r\n\r\n',
  '\t\v\f',
  'Tố giác ma túy ở ngõ 7',
  'Ừ ừ ừ, cán bộ ơi?',
  '🇻🇳👨‍👩‍👧‍👦🙏',
  'Z\u0364\u0354\u0367\u0311\u0313a\u0308\u0356\u032d\u0308\u0307',
  '\u{1F4A9}'.repeat(3),
  '2026-06-05 09:00',
  '2026-02-30',
  '2026-02-30 07:00',
  '2026-06-01T25:61:00+07:00',
  '9999-12-31 23:59',
  '0000-01-01',
  '+275760-09-13T00:00:00Z',
  '* * * * *',
  '*/0 * * * *',
  '0 0 31 2 *',
  '60 24 32 13 8',
  '0 7 * * 1-5 extra',
  '/trogiup',
  '/togiac',
  '/dangky ABCD-EFGH',
  '/huy',
  '/ma 0000-0000-0000-0000',
  '/hoi',
];

const short = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 24 }) },
);

/** Up to `max` characters: mostly short and hostile, sometimes one character repeated to any length up to `max`. */
export function hostileText(max = 70_000): fc.Arbitrary<string> {
  const long = fc
    .tuple(fc.constantFrom('a', 'ừ', '🇻🇳', '\u0000', ' ', '<'), fc.integer({ min: 1, max }))
    .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));
  return fc.oneof(
    { weight: 6, arbitrary: short },
    { weight: 3, arbitrary: fc.array(short, { maxLength: 6 }).map((parts) => parts.join(' ')) },
    { weight: 1, arbitrary: long },
  );
}

/** Object keys worth trying anywhere: prototype pollution, and `fields` (the names the endpoint expects). */
export function hostileKey(fields: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'toJSON', 'valueOf', ...(fields.length ? fields : ['id'])),
    short,
  );
}

/** Number literals JSON allows in text but JavaScript cannot hold exactly: they are spliced into the text as is. */
const NUMBER_LITERALS = ['1e400', '-1e400', '1E-400', '-0', '0.1e1', '123456789012345678901234567890', '9007199254740993', '-9223372036854775809', '1.7976931348623157e308'];
const LITERAL_MARK = '\u0001num:';

/** A JSON value whose objects may hold `__proto__` and friends as their own keys, and whose numbers may be huge. */
export function hostileJson(fields: readonly string[] = []): fc.Arbitrary<unknown> {
  const scalar = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(...NUMBER_LITERALS).map((literal) => `${LITERAL_MARK}${literal}`),
    hostileText(5_000),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.array(fc.tuple(hostileKey(fields), tie('value')), { maxLength: 6 }).map(ownObject),
    ),
  }));
  return value;
}

/** An object with exactly these own keys, `__proto__` included, as JSON.parse would make it. */
export function ownObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
  return object;
}

/** JSON text of a value from `hostileJson`, with the marked number literals put in as numbers. */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/"\\u0001num:([^"]+)"/g, '$1');
}

/** Paths to every value inside a JSON value, the root included. */
function pathsOf(value: unknown, path: readonly string[] = []): string[][] {
  const here = [[...path]];
  if (value === null || typeof value !== 'object') return here;
  return [...here, ...Object.keys(value).flatMap((key) => pathsOf((value as Record<string, unknown>)[key], [...path, key]))];
}

function clone(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone);
  return ownObject(Object.entries(value).map(([key, inner]) => [key, clone(inner)]));
}

type Mutation = { at: number; kind: 'replace' | 'remove' | 'add'; key: string; value: unknown };

/** Adds `value` to an array, or under `key` to an object as its own property, whatever the key. */
function addTo(node: object, key: string, value: unknown): void {
  if (Array.isArray(node)) node.push(value);
  else Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true });
}

/** `template` with a few of its values replaced, removed or joined by others, anywhere in it. */
export function mutated(template: unknown, fields: readonly string[] = []): fc.Arbitrary<unknown> {
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('replace', 'remove', 'add'),
    key: hostileKey(fields),
    value: hostileJson(fields),
  });
  return fc.array(mutation, { minLength: 0, maxLength: 3 }).map((mutations) => {
    let root = clone(template);
    for (const { at, kind, key, value } of mutations) {
      const paths = pathsOf(root);
      const path = paths[at % paths.length]!;
      if (path.length === 0) {
        if (kind === 'replace') root = value;
        else if (kind === 'add' && root !== null && typeof root === 'object') addTo(root, key, value);
        continue;
      }
      const parent = path.slice(0, -1).reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], root) as Record<string, unknown>;
      const last = path.at(-1)!;
      if (kind === 'remove') {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else if (kind === 'replace') Object.defineProperty(parent, last, { value, enumerable: true, configurable: true, writable: true });
      else addTo(parent, key, value);
    }
    return root;
  });
}

/** A body built from a JSON value: as JSON, cut short, with stray bytes, as something else entirely, or padded past `limit`. */
export function hostileBody(value: fc.Arbitrary<unknown>, limit: number): fc.Arbitrary<Buffer> {
  const json = value.map(jsonText);
  return fc.oneof(
    { weight: 10, arbitrary: json.map((text) => Buffer.from(text)) },
    { weight: 2, arbitrary: fc.tuple(json, fc.nat()).map(([text, cut]) => Buffer.from(text.slice(0, cut % (text.length + 1)))) },
    { weight: 1, arbitrary: json.map((text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '{}', '"x"', '1', '{"a":', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}').map((text) => Buffer.from(text)) },
    { weight: 1, arbitrary: fc.integer({ min: limit - 64, max: limit + 4_096 }).map((size) => Buffer.from(JSON.stringify({ pad: 'x'.repeat(Math.max(0, size - 10)) }))) },
  );
}

const HEADER_VALUE_CHAR = fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code));
/** What Node's HTTP client lets through in a header value: tabs and printable Latin-1, no line breaks. */
export const headerValue = fc.oneof(
  fc.constantFrom('', ' ', 'null', '%00', '\u00ff\u00fe', 'x'.repeat(8_000)),
  fc.string({ unit: HEADER_VALUE_CHAR, maxLength: 60 }),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=klingon',
  'application/vnd.api+json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=----fuzz',
  'application/octet-stream',
  '*/*',
  ';;;',
];

/** Headers a client may add or get wrong; named ones replace what the case would otherwise send. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constant('content-type'), fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerValue)),
      fc.tuple(fc.constant('content-encoding'), fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip')),
      fc.tuple(fc.constant('accept-language'), fc.oneof(fc.constantFrom('en', 'vi', 'fr', '*', 'en;q=abc', 'vi-VN,vi;q=0.9,en;q=0.8', '__proto__'), headerValue)),
      fc.tuple(fc.constantFrom('cookie', 'authorization', 'x-forwarded-for', 'x-real-ip', 'origin', 'referer', 'user-agent', 'accept', 'x-requested-with', 'forwarded'), headerValue),
      fc.tuple(fc.constantFrom('x-bot-api-secret-token', 'x-telegram-bot-api-secret-token', 'x-zevent-signature'), headerValue),
      fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerValue),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => Object.fromEntries(pairs));

export const hostileMethod = fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') });

/** `path`, or it with the odd suffix, case or query a client or an attacker might add. */
export function pathVariant(path: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(path) },
    { weight: 1, arbitrary: fc.constantFrom(`${path}/`, path.toUpperCase(), `${path}?`, `${path}?lang=en`, `${path}?lang=__proto__`, `${path}/..`, `${path}%00`, `${path};x=1`) },
    { weight: 1, arbitrary: queryString.map((query) => `${path}?${query}`) },
  );
}

/** A query string, encoded or deliberately not. */
export const queryString: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.tuple(hostileKey(['lang', 'status', 'category', 'from', 'to', 'at']), hostileText(2_000)), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString()),
  fc.constantFrom('%', '%zz=1', 'a[b]=1&a[c]=2', '__proto__[x]=1', 'constructor[prototype][x]=1', 'lang=en&lang=vi', '&&&', '=', 'status=open&status=closed'),
);

/** Percent-encoded UTF-8 of any string, lone surrogates included (they become U+FFFD, as on the wire). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Loopback addresses to send from: each is a client of its own to the service's per-address limits. */
export const fromAddress = fc.integer({ min: 0, max: 250 * 250 - 1 }).map((n) => `127.0.${1 + Math.floor(n / 250)}.${2 + (n % 250)}`);
