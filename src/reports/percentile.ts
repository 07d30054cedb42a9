/**
 * The nearest-rank percentile: the smallest value with at least `p` (0 < p ≤ 1) of all values at or below it. It is
 * always one of the values, and the median of an even count is the lower of the middle two.
 */
export function nearestRank(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}
