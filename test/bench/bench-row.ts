/** One line of the benchmark table. Benchmarks report; the tests are what enforce targets. */
export interface BenchRow {
  figure: string;
  value: string;
  /** How the value is judged, e.g. "≥ 90%"; absent when the figure is only informative. */
  target?: string;
  /** Absent when there is no target. */
  met?: boolean;
}

/** A benchmark module: `run.ts` calls each one in turn and prints all rows in one table. */
export type Bench = () => Promise<BenchRow[]>;

const HEADER = ['figure', 'value', 'target', 'met?'];

/** Plain text with aligned columns, so that it reads the same in a terminal and in a CI log. */
export function formatTable(rows: readonly BenchRow[]): string {
  const cells = [
    HEADER,
    ...rows.map((row) => [row.figure, row.value, row.target ?? '—', row.met === undefined ? '—' : row.met ? 'yes' : 'NO']),
  ];
  const widths = HEADER.map((_, column) => Math.max(...cells.map((line) => line[column]!.length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column]!)).join(' | ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

export const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
