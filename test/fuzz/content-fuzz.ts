import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import { splitItemFile } from '../../src/content/item-file.js';
import { loadLibrary, type LoadedLibrary } from '../../src/content/load-library.js';
import { parseYaml } from '../../src/content/yaml-source.js';
import type { TFunction } from '../../src/platform/i18n.js';
import { SMALL_LIBRARY, writeContentFolder } from '../support/content-library.js';
import { hostileText, TRICKY_STRINGS } from './hostile.js';

/** YAML that has hurt parsers: alias bombs, recursion, custom tags, merge keys, huge numbers, prototype keys. */
const HOSTILE_YAML: readonly string[] = [
  'a: &a ["x", "x"]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\ne: &e [*d, *d, *d, *d]\nf: &f [*e, *e, *e, *e]\ng: [*f, *f, *f, *f]',
  'a: &a [*a]',
  'a: *nowhere',
  '<<: *nowhere',
  'base: &base { id: c1 }\n<<: *base',
  '__proto__: { polluted: true }',
  'constructor: { prototype: { polluted: true } }',
  'id: !!js/function "function () { return 1 }"',
  'id: !!binary aGVsbG8=',
  'id: !custom-tag value',
  '? [a, b]\n: c',
  'id: 1e400',
  'id: 0x7fffffffffffffffffff',
  'period: { from: 2026-13-45, to: 0000-00-00 }',
  'period: { from: 2026-06-30, to: 2026-06-01 }',
  'date: 2026-02-30',
  'at: "25:61"',
  'at: 07:30',
  'id: a\nid: b',
  '%YAML 1.1\n---\nid: c1',
  '---\nid: c1\n---\nid: c2',
  '\tid: tab-indented',
  'id: "unterminated',
  'key: [unclosed',
  '- just\n- a\n- list',
  '"just a string"',
  '~',
  '',
  ' '.repeat(200) + 'id: deep',
  '['.repeat(500) + ']'.repeat(500),
  '{a: '.repeat(200) + '1' + '}'.repeat(200),
];

/** Lines that have hurt the item-file reader: fences, headings, placeholders, control characters. */
const HOSTILE_LINES: readonly string[] = [
  '---',
  '--- ',
  '## vi',
  '## en',
  '## ',
  '##',
  '## fr',
  '{{ward_name}}',
  '{{ unknown }}',
  '{{',
  '}}',
  '{{{{ward_name}}}}',
  '\r',
  '\u2028',
  '\ufeff---',
  ...TRICKY_STRINGS,
];

const FILES = Object.keys(SMALL_LIBRARY);
const NEW_FILES = ['c1/messages/m-three.md', 'c1/messages/M One.md', 'c1/messages/ừ-ừ.md', 'c1/messages/.hidden.md', 'qa/q-two.md', 'c2/campaign.yaml', 'c2/calendar.yaml', 'qa/nested/q.md', 'c1/messages/m-one.md.md'];

type Change =
  | { kind: 'replace'; file: string; text: string }
  | { kind: 'insert'; file: string; at: number; line: string }
  | { kind: 'truncate'; file: string; at: number }
  | { kind: 'delete'; file: string }
  | { kind: 'bytes'; file: string; bytes: Uint8Array };

const anyFile = fc.constantFrom(...FILES, ...NEW_FILES);
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), file: anyFile, text: fc.oneof(fc.constantFrom(...HOSTILE_YAML), hostileText(30_000), fc.constantFrom(...HOSTILE_YAML).map((yaml) => `---\n${yaml}\n---\n## vi\nx\n## en\ny\n`)) }),
  fc.record({ kind: fc.constant('insert' as const), file: anyFile, at: fc.nat(), line: fc.oneof(fc.constantFrom(...HOSTILE_LINES), fc.constantFrom(...HOSTILE_YAML), hostileText(3_000)) }),
  fc.record({ kind: fc.constant('truncate' as const), file: fc.constantFrom(...FILES), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), file: fc.constantFrom(...FILES) }),
  fc.record({ kind: fc.constant('bytes' as const), file: anyFile, bytes: fc.uint8Array({ maxLength: 400 }) }),
);

/** The small valid library with a few files spoiled, removed, added or made of bytes that are not UTF-8. */
export const spoiledLibrary: fc.Arbitrary<Record<string, string | Uint8Array>> = fc.array(change, { minLength: 1, maxLength: 4 }).map((changes) => {
  const files: Record<string, string | Uint8Array> = { ...SMALL_LIBRARY };
  for (const c of changes) {
    const current = files[c.file];
    const text = typeof current === 'string' ? current : '';
    if (c.kind === 'replace') files[c.file] = c.text;
    else if (c.kind === 'delete') delete files[c.file];
    else if (c.kind === 'bytes') files[c.file] = c.bytes;
    else if (c.kind === 'truncate') files[c.file] = text.slice(0, c.at % (text.length + 1));
    else {
      const lines = text.split('\n');
      lines.splice(c.at % (lines.length + 1), 0, c.line);
      files[c.file] = lines.join('\n');
    }
  }
  return files;
});

/** What is wrong with one loaded library: problems that point nowhere, or items that should have been left out. */
export function libraryFaults(loaded: LoadedLibrary, files: Record<string, string | Uint8Array>): string[] {
  const faults: string[] = [];
  for (const p of loaded.problems) {
    if (!Number.isInteger(p.line) || p.line < 1) faults.push(`problem at line ${p.line} of ${p.file}`);
    if (p.file !== '.' && files[p.file] === undefined && !/^c\d\/(campaign|calendar)\.yaml$/.test(p.file)) faults.push(`problem in ${p.file}, which is not there`);
    if (p.message.trim() === '') faults.push(`problem without a message in ${p.file}`);
  }
  const erroneous = new Set(loaded.problems.filter((p) => p.severity === 'error').map((p) => p.file));
  for (const campaign of loaded.library.campaigns) {
    for (const item of campaign.messages) {
      const file = `${campaign.campaign.id}/messages/${item.id}.md`;
      if (erroneous.has(file)) faults.push(`${file} has an error yet is in the library`);
    }
    const ids = new Set(campaign.messages.map((m) => m.id));
    for (const entry of campaign.calendar.entries) if (!ids.has(entry.message)) faults.push(`the calendar of ${campaign.campaign.id} sends ${entry.message}, which is not in the library`);
  }
  for (const entry of loaded.library.qa) if (erroneous.has(`qa/${entry.id}.md`)) faults.push(`qa/${entry.id}.md has an error yet is in the library`);
  return faults;
}

/** Writes `files` into a fresh temporary folder, loads it twice and returns what is wrong; the folder is removed. */
export async function loadSpoiled(files: Record<string, string | Uint8Array>, t: TFunction): Promise<string[]> {
  const dir = await writeContentFolder(files, 'lp-content-fuzz-');
  try {
    const first = await loadLibrary(dir, { t });
    const again = await loadLibrary(dir, { t });
    const faults = libraryFaults(first, files);
    if (JSON.stringify(first) !== JSON.stringify(again)) faults.push('loading the same files twice gave different results');
    return faults;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Any text for the item-file and YAML readers: hostile text, or a valid item with a few hostile lines in it. */
export const itemText: fc.Arbitrary<string> = fc.oneof(
  hostileText(50_000),
  fc.constantFrom(...HOSTILE_YAML),
  fc.tuple(fc.constantFrom(...Object.values(SMALL_LIBRARY)), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...HOSTILE_LINES, ...HOSTILE_YAML)), { maxLength: 4 })).map(([text, inserts]) => {
    const lines = text.split('\n');
    for (const [at, line] of inserts) lines.splice(at % (lines.length + 1), 0, line);
    return lines.join('\n');
  }),
);

/** What is wrong with how the item-file and YAML readers took `text`; they must never throw. */
export function readerFaults(text: string): string[] {
  const faults: string[] = [];
  const split = splitItemFile(text);
  const lineCount = text.split(/\r?\n/).length;
  if (split.ok) {
    const { item } = split;
    for (const section of item.sections) if (section.line < item.bodyLine || section.line > lineCount) faults.push(`section at line ${section.line} of ${lineCount}`);
    for (const line of item.strayLines) if (line < item.bodyLine || line > lineCount) faults.push(`stray line ${line} of ${lineCount}`);
    const parsed = parseYaml(item.frontMatter, item.frontMatterLine);
    if (!parsed.ok && (parsed.line < 1 || parsed.line > lineCount + 1)) faults.push(`YAML problem at line ${parsed.line} of ${lineCount}`);
  } else if (split.line !== 1) faults.push(`split refused at line ${split.line}`);
  const whole = parseYaml(text);
  if (whole.ok) whole.source.lineOf(['id']);
  else if (!Number.isInteger(whole.line) || whole.line < 1) faults.push(`YAML problem at line ${whole.line}`);
  return faults;
}
