// Reading the engine's metrics objects (train-finished, RunSummary) for display, tolerant of the
// names tfjs and the evaluator use (acc/accuracy, confusionMatrix, perClass…).
export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support?: number;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Scalar metrics, e.g. { accuracy: 0.96, loss: 0.12 }. */
export function scalarMetrics(metrics: Record<string, unknown> | null | undefined): [string, number][] {
  if (!metrics) return [];
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(metrics)) {
    if (isNum(v)) out.push([k, v]);
    else if (v && typeof v === 'object' && !Array.isArray(v) && k === 'test')
      out.push(...scalarMetrics(v as Record<string, unknown>));
    else if (k === 'macro' && v && typeof v === 'object' && isNum((v as { f1?: unknown }).f1))
      out.push(['macro F1', (v as { f1: number }).f1]);
  }
  return out;
}

export function accuracyOf(metrics: Record<string, unknown> | null | undefined): number | null {
  const m = Object.fromEntries(scalarMetrics(metrics));
  for (const k of ['accuracy', 'acc', 'testAccuracy', 'categoricalAccuracy', 'binaryAccuracy'])
    if (isNum(m[k])) return m[k];
  return null;
}

export function confusionOf(
  metrics: Record<string, unknown> | null | undefined,
): { labels: string[]; matrix: number[][] } | null {
  if (!metrics) return null;
  const src = (
    metrics.test && typeof metrics.test === 'object' ? { ...metrics, ...(metrics.test as object) } : metrics
  ) as Record<string, unknown>;
  const raw = src.confusionMatrix ?? src.confusion;
  let matrix: unknown = raw;
  let labels: unknown = src.classes ?? src.labels ?? src.classNames;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const o = raw as Record<string, unknown>;
    matrix = o.matrix ?? o.values;
    labels = o.labels ?? o.classes ?? labels;
  }
  if (!Array.isArray(matrix) || !matrix.every((r) => Array.isArray(r) && r.every(isNum))) return null;
  const m = matrix as number[][];
  const l =
    Array.isArray(labels) && labels.length === m.length ? labels.map(String) : m.map((_, i) => String(i));
  return { labels: l, matrix: m };
}

export function perClassOf(metrics: Record<string, unknown> | null | undefined): ClassReport[] {
  if (!metrics) return [];
  const src = (
    metrics.test && typeof metrics.test === 'object' ? { ...metrics, ...(metrics.test as object) } : metrics
  ) as Record<string, unknown>;
  const raw = src.perClass ?? src.classReport ?? src.classes;
  const read = (label: string, v: unknown): ClassReport | null => {
    if (!v || typeof v !== 'object') return null;
    const o = v as Record<string, unknown>;
    if (!isNum(o.precision) || !isNum(o.recall)) return null;
    const f1 = isNum(o.f1)
      ? o.f1
      : o.precision + o.recall
        ? (2 * o.precision * o.recall) / (o.precision + o.recall)
        : 0;
    return {
      label: String(o.className ?? o.label ?? o.class ?? o.name ?? label),
      precision: o.precision,
      recall: o.recall,
      f1,
      support: isNum(o.support) ? o.support : undefined,
    };
  };
  if (Array.isArray(raw))
    return raw.map((v, i) => read(String(i), v)).filter((r): r is ClassReport => r !== null);
  if (raw && typeof raw === 'object')
    return Object.entries(raw)
      .map(([k, v]) => read(k, v))
      .filter((r): r is ClassReport => r !== null);
  return [];
}

export const fmt = (v: number, digits = 4): string =>
  Math.abs(v) >= 1000
    ? v.toLocaleString('en-US', { maximumFractionDigits: 1 })
    : Number(v.toPrecision(digits)).toString();

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '—';
  if (sec < 60) return `${Math.round(sec)} s`;
  const m = Math.floor(sec / 60);
  return m < 60 ? `${m} min ${Math.round(sec % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
