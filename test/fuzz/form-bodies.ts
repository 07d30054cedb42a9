import fc from 'fast-check';
import { hostileKey, hostileText } from './hostile.js';

/** A form field or file as a browser would send it, or as a hostile client might. */
export interface FormPart {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A whole form body with the content type that announces it. */
export interface FormBody {
  contentType: string;
  body: Buffer;
}

const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** What a file input may carry: a real image, a broken one, something else, or nothing. */
export const fileContent: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constant(PNG_1X1),
  fc.nat({ max: PNG_1X1.length }).map((cut) => PNG_1X1.subarray(0, cut)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(bytes)])),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.alloc(0)),
);

/** Field names: the expected ones, and ones that try the parser (quotes, line breaks, prototype keys). */
export function fieldName(fields: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: hostileKey(fields) }, { weight: 1, arbitrary: fc.constantFrom('a"b', 'a\r\nContent-Type: text/html', 'x[y]', '') });
}

function multipart(boundary: string, parts: readonly FormPart[], closed: boolean): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.contentType === undefined ? '' : `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  if (closed) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/**
 * `parts` encoded as a browser would (mostly in the `usual` encoding the endpoint reads), or spoiled: unclosed, under
 * another boundary than announced, cut short, or announced as one encoding and sent as the other.
 */
export function formBody(parts: fc.Arbitrary<FormPart[]>, usual: 'multipart' | 'urlencoded'): fc.Arbitrary<FormBody> {
  const boundary = fc.oneof(fc.constant('----LoaPhuongFuzzBoundary7MA4YWxk'), fc.stringMatching(/^[A-Za-z0-9'()+_,./:=? -]{1,70}$/));
  const encoding = fc.oneof(
    { weight: 8, arbitrary: fc.constant(usual) },
    { weight: 1, arbitrary: fc.constant(usual === 'multipart' ? 'urlencoded' : 'multipart') },
    { weight: 1, arbitrary: fc.constantFrom('unclosed', 'wrong-boundary', 'cut', 'swapped') },
  );
  return fc.tuple(parts, boundary, encoding, fc.nat()).map(([fields, mark, how, cut]) => {
    const urlencoded = () => Buffer.from(new URLSearchParams(fields.map((f): [string, string] => [f.name, f.value.toString()])).toString());
    switch (how) {
      case 'urlencoded':
        return { contentType: 'application/x-www-form-urlencoded', body: urlencoded() };
      case 'swapped':
        return { contentType: `multipart/form-data; boundary=${mark}`, body: urlencoded() };
      case 'unclosed':
        return { contentType: `multipart/form-data; boundary=${mark}`, body: multipart(mark, fields, false) };
      case 'wrong-boundary':
        return { contentType: `multipart/form-data; boundary=${mark}x`, body: multipart(mark, fields, true) };
      case 'cut': {
        const whole = multipart(mark, fields, true);
        return { contentType: `multipart/form-data; boundary=${mark}`, body: whole.subarray(0, cut % (whole.length + 1)) };
      }
      default:
        return { contentType: `multipart/form-data; boundary="${mark}"`, body: multipart(mark, fields, true) };
    }
  });
}

/** A text field: usually text of any kind, sometimes well-formed for the field. */
export function textField(name: string, wellFormed: fc.Arbitrary<string>, max: number): fc.Arbitrary<FormPart> {
  return fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 1, arbitrary: hostileText(max) }).map((value) => ({ name, value }));
}
