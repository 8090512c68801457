// Reading the engine's test metrics (train-finished, RunSummary) for display. EngineApi carries them
// as a plain record; the engine writes TestMetrics (engine/eval/evaluate.ts).
import type { ClassificationMetrics, ClassMetrics } from '../../../engine/eval/metrics.ts';

type Metrics = Record<string, unknown> | null | undefined;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const classification = (m: Metrics): ClassificationMetrics | null =>
  m?.task === 'classification' ? (m as unknown as ClassificationMetrics) : null;

/** Scalar metrics, e.g. [['samples', 30], ['accuracy', 0.96], ['macro F1', 0.95]]. */
export function scalarMetrics(metrics: Metrics): [string, number][] {
  if (!metrics) return [];
  const out = Object.entries(metrics).filter((e): e is [string, number] => isNum(e[1]));
  const macroF1 = classification(metrics)?.macro.f1;
  if (isNum(macroF1)) out.push(['macro F1', macroF1]);
  return out;
}

export const accuracyOf = (metrics: Metrics): number | null => classification(metrics)?.accuracy ?? null;

export const confusionOf = (metrics: Metrics): ClassificationMetrics['confusionMatrix'] | null =>
  classification(metrics)?.confusionMatrix ?? null;

export const perClassOf = (metrics: Metrics): ClassMetrics[] => classification(metrics)?.perClass ?? [];

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
