// When training splits each batch across worker threads (data parallelism). On the WebAssembly
// backend tfjs runs one thread in Node, so a second core sits idle; a replica of the model in a
// worker thread computes the gradients of half of every batch. Batch-statistics layers would see
// half batches (different numbers), so a graph with one keeps to a single thread.
import os from 'node:os';

export interface ParallelPlan {
  /** Threads that compute gradients (1 = no data parallelism). */
  threads: number;
  /** One plain sentence: why this many. */
  reason: string;
}

export interface PlanInput {
  backendId: string;
  batchSize: number;
  /** Layer class names of the model (tfjs getClassName()) or the graph's node types. */
  layerTypes: readonly string[];
  /** false turns data parallelism off (training.dataParallel: false). */
  enabled?: boolean;
  /** Defaults to os.availableParallelism(). */
  cores?: number;
}

/** Smallest batch worth splitting: below this the per-step hand-off costs more than it saves. */
export const MIN_PARALLEL_BATCH = 32;
const BATCH_STAT_LAYERS = new Set(['BatchNormalization']);

export function planDataParallel(p: PlanInput): ParallelPlan {
  const cores = p.cores ?? os.availableParallelism();
  if (p.enabled === false) return { threads: 1, reason: 'data parallelism turned off (training.dataParallel: false)' };
  if (p.backendId !== 'wasm') return { threads: 1, reason: `the ${p.backendId} backend uses its own threads` };
  if (cores < 2) return { threads: 1, reason: 'one CPU core' };
  if (p.batchSize < MIN_PARALLEL_BATCH) return { threads: 1, reason: `batch size ${p.batchSize} is below ${MIN_PARALLEL_BATCH}` };
  const stat = p.layerTypes.find((t) => BATCH_STAT_LAYERS.has(t));
  if (stat) return { threads: 1, reason: `${stat} needs whole batches` };
  return { threads: 2, reason: 'each batch is split across 2 threads' };
}

/** The backend label with the thread count, e.g. "CPU (WebAssembly) × 2 threads". */
export function labelWithThreads(label: string, threads: number): string {
  return threads > 1 ? `${label} × ${threads} threads` : label;
}
