/**
 * A strict reader of Prometheus' text exposition format (0.0.4), for tests: any line it cannot read, or a sample of
 * a family without a TYPE line, is an error rather than something skipped.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Family name → counter, gauge, histogram, summary or untyped. */
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const ESCAPES: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };
const SUFFIXES: Record<string, readonly string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

const SPECIAL_VALUES = new Map([['+inf', Infinity], ['inf', Infinity], ['-inf', -Infinity], ['nan', NaN]]);

/** As Prometheus reads values (Go's ParseFloat): NaN and Inf in any case (prom-client writes `Nan`). */
function parseNumber(text: string, line: string): number {
  const special = SPECIAL_VALUES.get(text.toLowerCase());
  if (special !== undefined) return special;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`not a number in: ${line}`);
  return value;
}

/** Reads `{a="x",b="y\"z"}` from the start of `text`; returns the labels and what follows. */
function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let at = 1;
  for (;;) {
    if (text[at] === '}') return { labels, rest: text.slice(at + 1) };
    const name = LABEL_NAME.exec(text.slice(at))?.[0];
    if (!name || text[at + name.length] !== '=' || text[at + name.length + 1] !== '"') throw new Error(`bad label in: ${line}`);
    at += name.length + 2;
    let value = '';
    for (;;) {
      const c = text[at++];
      if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const escaped = ESCAPES[text[at++] ?? ''];
        if (escaped === undefined) throw new Error(`bad escape in: ${line}`);
        value += escaped;
      } else value += c;
    }
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`);
    labels[name] = value;
    if (text[at] === ',') at++;
    else if (text[at] !== '}') throw new Error(`expected , or } in: ${line}`);
  }
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const [family, type] of types) {
    if ((SUFFIXES[type] ?? []).some((suffix) => name === family + suffix)) return family;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('# TYPE ')) {
      const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (!type) throw new Error(`bad TYPE line: ${line}`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('# HELP ') && !/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) throw new Error(`bad HELP line: ${line}`);
    if (line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (!name) throw new Error(`bad sample line: ${line}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const fields = rest.trim().split(/ +/);
    if (!rest.startsWith(' ') || fields.length > 2) throw new Error(`bad value in: ${line}`);
    if (familyOf(name, types) === undefined) throw new Error(`sample without a TYPE line: ${line}`);
    samples.push({ name, labels, value: parseNumber(fields[0]!, line) });
  }
  return { types, samples };
}

const matches = (sample: Sample, labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => sample.labels[k] === v);

/** The samples of `name` whose labels include `labels`. */
export function samplesOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter((s) => s.name === name && matches(s, labels));
}

/** The one sample of `name` with exactly these labels, or undefined. */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string>): number | undefined {
  const found = exposition.samples.filter((s) => s.name === name && matches(s, labels) && Object.keys(s.labels).length === Object.keys(labels).length);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

export interface HistogramSeries {
  /** Cumulative counts by upper bound, in the order given. */
  buckets: Array<{ le: number; count: number }>;
  sum: number;
  count: number;
}

/** One histogram series; throws unless it has buckets, a sum and a count. */
export function histogramOf(exposition: Exposition, name: string, labels: Record<string, string>): HistogramSeries {
  const buckets = samplesOf(exposition, `${name}_bucket`, labels)
    .filter((s) => Object.keys(s.labels).length === Object.keys(labels).length + 1)
    .map((s) => ({ le: parseNumber(s.labels.le ?? '', `${name} le`), count: s.value }));
  const sum = valueOf(exposition, `${name}_sum`, labels);
  const count = valueOf(exposition, `${name}_count`, labels);
  if (buckets.length === 0 || sum === undefined || count === undefined) throw new Error(`no histogram ${name} ${JSON.stringify(labels)}`);
  return { buckets, sum, count };
}
