// The GPU check's training table: samples/s per workload and batch size on webgpu, wasm and PyTorch
// (median of the repeats, with the spread), and the two ratios the goal is stated in.

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export interface BenchRow {
  workload: string;
  batch: number;
  webgpu: Spread | null;
  wasm: Spread | null;
  torch: Spread | null;
  /** Per side, why it has no figure. */
  errors: Record<string, string>;
}

export function spread(xs: number[]): Spread | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s.at(-1)!, runs: s.length };
}

const cell = (s: Spread | null) =>
  s
    ? s.runs > 1
      ? `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`
      : s.median.toFixed(0)
    : '—';
const ratio = (a: Spread | null, b: Spread | null) => (a && b ? `${(a.median / b.median).toFixed(2)}×` : '—');

/** A plain-text table, one line per workload and batch size. */
export function formatTable(rows: BenchRow[], names: { webgpu: string; torch: string }): string[] {
  const widths = [10, 7, 22, 22, 22, 13, 10];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('')
      .trimEnd();
  return [
    `samples/s — webgpu: ${names.webgpu}; wasm: WebAssembly, one thread; PyTorch: ${names.torch}`,
    line(['workload', 'batch', 'webgpu', 'wasm', 'PyTorch', 'webgpu/wasm', 'webgpu/PyTorch']),
    ...rows.map((r) =>
      line([
        r.workload,
        String(r.batch),
        cell(r.webgpu),
        cell(r.wasm),
        cell(r.torch),
        ratio(r.webgpu, r.wasm),
        ratio(r.webgpu, r.torch),
      ]),
    ),
  ];
}
