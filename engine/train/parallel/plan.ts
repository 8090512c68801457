// When training splits each batch across worker threads (data parallelism). On the WebAssembly
// backend tfjs runs one thread in Node, so a second core sits idle; a replica of the model in a
// worker thread computes the gradients of half of every batch. BatchNormalization on the fused path
// shares its batch statistics between the threads (data-parallel.ts); one that cannot would see half
// batches (different numbers), so its graph keeps to a single thread; so does a graph without
// convolutions or recurrent layers, where the hand-off and tfjs' fixed cost per operation (paid by
// both threads) outweigh the halved arithmetic.
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
  /** The name of a layer whose batch statistics the threads cannot share (fusedBatchNormApplies),
   *  if the model has one. */
  unsharedStats?: string;
  /** false: off (training.dataParallel: false); true: split whenever it is correct, even where it
   *  does not pay (tests, measurements); unset: split where it pays. */
  enabled?: boolean;
  /** Defaults to os.availableParallelism(). */
  cores?: number;
}

/** Smallest batch worth splitting: below this the per-step hand-off costs more than it saves. */
export const MIN_PARALLEL_BATCH = 32;
// Splitting pays where a step's arithmetic is large next to its fixed costs: the weights handed
// over and updated every step, and tfjs' bookkeeping per operation, which both threads pay in full.
// Convolutions and the recurrent layers (a product per timestep) have that much per row. Stacks of
// Dense layers measured less work per thread from batch 128 up, but slower steps by the clock at
// the same moment, so they keep one thread (bench/KERNEL-MEASUREMENTS.md).
const SPLIT_LAYERS = new Set([
  'Conv1D',
  'Conv2D',
  'Conv2DTranspose',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'Conv3D',
  'LSTM',
  'GRU',
]);

export function planDataParallel(p: PlanInput): ParallelPlan {
  const cores = p.cores ?? os.availableParallelism();
  if (p.enabled === false)
    return { threads: 1, reason: 'data parallelism turned off (training.dataParallel: false)' };
  if (p.backendId === 'webgpu')
    return { threads: 1, reason: 'data parallelism is a CPU feature; the GPU takes whole batches' };
  if (p.backendId !== 'wasm')
    return { threads: 1, reason: `the ${p.backendId} backend uses its own threads` };
  if (p.unsharedStats) {
    return {
      threads: 1,
      reason: `${p.unsharedStats} needs whole batches (its batch statistics cannot be shared between threads)`,
    };
  }
  if (p.batchSize < 2) return { threads: 1, reason: 'a batch of one row cannot be split' };
  if (p.enabled === true)
    return { threads: 2, reason: 'each batch is split across 2 threads (training.dataParallel: true)' };
  if (cores < 2) return { threads: 1, reason: 'one CPU core' };
  if (p.batchSize < MIN_PARALLEL_BATCH)
    return { threads: 1, reason: `batch size ${p.batchSize} is below ${MIN_PARALLEL_BATCH}` };
  if (!p.layerTypes.some((t) => SPLIT_LAYERS.has(t))) {
    return {
      threads: 1,
      reason:
        'without convolutions or recurrent layers, handing half of each batch to a second thread costs more than that thread saves (measured)',
    };
  }
  return { threads: 2, reason: 'each batch is split across 2 threads' };
}

/** The backend label with the thread count, e.g. "CPU (WebAssembly) × 2 threads". */
export function labelWithThreads(label: string, threads: number): string {
  return threads > 1 ? `${label} × ${threads} threads` : label;
}
