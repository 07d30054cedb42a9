import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

/** Parsed YAML that still knows where each value was written. */
export interface YamlSource {
  data: unknown;
  /** Line of the deepest key or item along `path` that exists in the file. */
  lineOf(path: readonly PropertyKey[]): number;
}

export type YamlParse = { ok: true; source: YamlSource } | { ok: false; line: number; problem: string };

/** `firstLine` is the file line the text starts on (front matter starts below its `---`). */
export function parseYaml(text: string, firstLine = 1): YamlParse {
  const lineCounter = new LineCounter();
  // The library's own warnings (a map used as a key, …) would go to stderr, not to the person fixing the file;
  // what makes a file unusable is an error here or a schema problem, both reported with their line.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const toFileLine = (offset: number) => lineCounter.linePos(offset).line + firstLine - 1;
  const error = doc.errors[0];
  if (error) return { ok: false, line: toFileLine(error.pos[0]), problem: error.message };

  const lineOf = (path: readonly PropertyKey[]): number => {
    let node: unknown = doc.contents;
    let line = isNode(node) && node.range ? toFileLine(node.range[0]) : firstLine;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        if (isNode(pair.key) && pair.key.range) line = toFileLine(pair.key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        const item = node.items[key];
        if (!isNode(item)) break;
        if (item.range) line = toFileLine(item.range[0]);
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // Well-formed YAML can still refuse to become data, e.g. aliases that would expand into a huge document.
    return { ok: false, line: firstLine, problem: err instanceof Error ? err.message : String(err) };
  }
  return { ok: true, source: { data, lineOf } };
}
