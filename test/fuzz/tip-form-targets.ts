import fc from 'fast-check';
import { TIP_CATEGORIES } from '../../src/tips/schemas.js';
import { ANSWER_PATH, LOOKUP_PATH, TIP_FORM_PATH } from '../../src/tips/web/tip-form-pages.js';
import type { FuzzTarget } from './fuzz-run.js';
import { fieldName, fileContent, formBody, textField, type FormPart } from './form-bodies.js';
import { fromAddress, hostileBody, hostileHeaders, hostileJson, hostileText, pathVariant } from './hostile.js';
import type { AllowedWrite } from './key-snapshot.js';

/** The form's whole-body limit is 25 MB; the fuzzer stays far below it. */
const FORM_LIMIT = 25 * 1024 * 1024;
/** The receipt-code pages read urlencoded bodies up to 64kb. */
const CODE_PAGE_LIMIT = 64 * 1024;

const COUNTERS: readonly AllowedWrite[] = [
  { pattern: /^tips:count:submit:/, why: 'tips per sender are counted before a repeat of the same text is refused, so a flood of repeats is slowed too' },
  { pattern: /^tips:count:wrong-code:/, why: 'wrong receipt codes are counted per sender on purpose, to slow down guessing' },
];

const what = fc.constantFrom('Có người tụ tập sử dụng ma túy trong nhà kho cuối ngõ 12.', 'Một nhóm thanh niên mua bán ma túy ở quán nước đầu hẻm, tối nào cũng có.');
const photo = fc.record({ name: fc.constant('photos'), value: fileContent, filename: fc.constantFrom('anh.jpg', 'ảnh chụp.png', '', '../../x.jpg', 'a"b.jpg'), contentType: fc.constantFrom('image/jpeg', 'image/png', 'text/plain', 'application/octet-stream') });
const extraField = fc.record({ name: fieldName(['category', 'where', 'when', 'what', 'lang']), value: hostileText(40_000) });

/** The form's four fields, each usually there and usually well-formed, then photos and fields it does not have. */
const tipParts: fc.Arbitrary<FormPart[]> = fc
  .tuple(
    fc.option(textField('category', fc.constantFrom(...TIP_CATEGORIES), 40), { freq: 8 }),
    fc.option(textField('where', fc.constantFrom('Ngõ 12', 'Chợ Cột Đèn', ''), 1_000), { freq: 4 }),
    fc.option(textField('when', fc.constantFrom('Tối qua', '', 'Khoảng 21 giờ'), 1_000), { freq: 4 }),
    fc.option(textField('what', what, 40_000), { freq: 8 }),
    fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(photo, { minLength: 1, maxLength: 4 }) }),
    fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(extraField, { minLength: 1, maxLength: 12 }) }),
  )
  .map(([category, where, when, text, photos, extra]) => [category, where, when, text, ...photos, ...extra].filter((part): part is FormPart => part !== null));

const receiptCode = fc.oneof(
  fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/),
  fc.stringMatching(/^[0-9a-z]{16}$/),
  hostileText(200),
);
const codeParts: fc.Arbitrary<FormPart[]> = fc.tuple(
  fc.oneof(receiptCode, hostileText(200)).map((value) => ({ name: 'code', value })),
  textField('text', fc.constant('Tôi muốn bổ sung thêm thông tin.'), 10_000),
  fc.array(extraField, { maxLength: 3 }),
).map(([code, text, extra]) => [code, text, ...extra]);

/** A form body, or anything else sent in its place: JSON, stray bytes, nothing. */
function formOrNot(parts: fc.Arbitrary<FormPart[]>, usual: 'multipart' | 'urlencoded', limit: number): fc.Arbitrary<{ contentType: string; body: Buffer }> {
  return fc.oneof(
    { weight: 8, arbitrary: formBody(parts, usual) },
    { weight: 1, arbitrary: hostileBody(hostileJson(['category', 'what', 'code']), limit).map((body) => ({ contentType: 'application/json', body })) },
    { weight: 1, arbitrary: fc.constantFrom('', 'text/plain', 'multipart/form-data', 'multipart/mixed; boundary=x', 'application/x-www-form-urlencoded; charset=utf-16').map((contentType) => ({ contentType, body: Buffer.from('category=other&what=x') })) },
  );
}

function target(path: string, parts: fc.Arbitrary<FormPart[]>, usual: 'multipart' | 'urlencoded', limit: number): FuzzTarget {
  const cases = fc
    .record({ path: pathVariant(path), form: formOrNot(parts, usual, limit), from: fromAddress, extra: fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileHeaders }) })
    .map(({ path: sentTo, form, from, extra }) => ({ method: 'POST', path: sentTo, body: form.body, from, headers: { 'content-type': form.contentType, ...extra } }));
  return { name: `POST ${path}`, cases, allowedWrites: COUNTERS, bodyLimit: limit };
}

/**
 * The anonymous web form and the receipt-code pages: every field hostile or missing, extra and prototype-named
 * fields, images real and broken, bodies multipart, urlencoded or spoiled; each case from an address of its own.
 */
export function tipFormTargets(): FuzzTarget[] {
  return [
    target(TIP_FORM_PATH, tipParts, 'multipart', FORM_LIMIT),
    target(LOOKUP_PATH, codeParts, 'urlencoded', CODE_PAGE_LIMIT),
    target(ANSWER_PATH, codeParts, 'urlencoded', CODE_PAGE_LIMIT),
  ];
}
