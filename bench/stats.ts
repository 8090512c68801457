// Summary statistics the benchmarks print.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The smallest and the largest value. */
export function spread(xs: number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}
