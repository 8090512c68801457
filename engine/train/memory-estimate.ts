// Estimate the memory a training run needs before it starts, so the user gets a plain warning
// ("lower the batch size to 64") instead of an out-of-memory crash minutes later.
//
// The model (float32 everywhere, as tfjs trains):
//   weights                      4 B × parameters
//   gradients                    4 B × trainable parameters (one per weight during the update)
//   optimizer slots              4 B × parameters × slots (adam 2, rmsprop 2, momentum 1, adagrad 1, sgd 0)
//   activations                  4 B × Σ(output elements of every node) × batch × 2
//                                (the forward value kept for backprop + its gradient on the way back)
//   input batch                  4 B × Σ(input elements) × batch
// Unknown sizes inside a shape (a sequence of unknown length) count as 1 and mark the estimate
// `approximate`. It is an order-of-magnitude guard, not an allocator: tfjs keeps some temporaries
// and the data set itself is not counted (the data loader knows its size).
import os from 'node:os';
import { inspectGraph } from '../graph/inspect.ts';
import type { Graph } from '../project/schema.ts';

export type OptimizerType = 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adagrad';

const SLOTS: Record<OptimizerType, number> = { sgd: 0, momentum: 1, adam: 2, rmsprop: 2, adagrad: 1 };
const FLOAT_BYTES = 4;
/** Share of the available memory a run may plan to use before we warn. */
const HEADROOM = 0.8;

export interface MemoryEstimate {
  weightsBytes: number;
  gradientBytes: number;
  optimizerBytes: number;
  activationBytes: number;
  inputBytes: number;
  totalBytes: number;
  /** Bytes that grow with each sample of the batch (activations + inputs per sample). */
  perSampleBytes: number;
  /** Bytes that don't depend on the batch size (weights, gradients, optimizer slots). */
  fixedBytes: number;
  batchSize: number;
  /** True when some shape had an unknown size (counted as 1). */
  approximate: boolean;
}

const elements = (shape: (number | null)[]): { count: number; unknown: boolean } => {
  let count = 1;
  let unknown = false;
  for (const d of shape) {
    if (d === null) unknown = true;
    else count *= d;
  }
  return { count, unknown };
};

/**
 * Estimate the memory needed to train `graph` with `batchSize`. Nodes whose shape can't be inferred
 * (an invalid graph) count as zero, so call it on a valid graph for a meaningful figure.
 */
export function estimateTrainingMemory(
  graph: Graph,
  batchSize: number,
  optimizer: OptimizerType = 'adam',
): MemoryEstimate {
  const inspection = inspectGraph(graph);
  const params = inspection.totalParams;
  let perSampleActivations = 0;
  let perSampleInputs = 0;
  let approximate = false;
  for (const node of inspection.nodes) {
    if (!node.outputShape) continue;
    const { count, unknown } = elements(node.outputShape.slice(1));
    approximate ||= unknown;
    if (node.type === 'Input') perSampleInputs += count;
    else if (node.type !== 'Output') perSampleActivations += count;
  }
  const batch = Math.max(1, Math.floor(batchSize));
  const weightsBytes = params * FLOAT_BYTES;
  const gradientBytes = params * FLOAT_BYTES;
  const optimizerBytes = params * FLOAT_BYTES * (SLOTS[optimizer] ?? 2);
  const activationBytes = perSampleActivations * 2 * FLOAT_BYTES * batch;
  const inputBytes = perSampleInputs * FLOAT_BYTES * batch;
  const fixedBytes = weightsBytes + gradientBytes + optimizerBytes;
  const perSampleBytes = (perSampleActivations * 2 + perSampleInputs) * FLOAT_BYTES;
  return {
    weightsBytes,
    gradientBytes,
    optimizerBytes,
    activationBytes,
    inputBytes,
    totalBytes: fixedBytes + activationBytes + inputBytes,
    perSampleBytes,
    fixedBytes,
    batchSize: batch,
    approximate,
  };
}

/**
 * Memory a training run can use on this machine, in bytes: free system memory, capped at 4 GiB for
 * the WebAssembly backend (32-bit address space). Pass the backend id from selectBackend().
 */
export function availableTrainingMemory(backendId: string = 'cpu'): number {
  const free = os.freemem();
  return backendId === 'wasm' ? Math.min(free, 4 * 1024 ** 3) : free;
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0
    ? `${Math.round(value)} ${units[0]}`
    : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The largest batch size that fits in `availableBytes` with headroom; 0 when even the weights don't fit. */
export function largestFittingBatch(estimate: MemoryEstimate, availableBytes: number): number {
  const budget = availableBytes * HEADROOM - estimate.fixedBytes;
  if (budget <= 0) return 0;
  if (estimate.perSampleBytes <= 0) return Number.MAX_SAFE_INTEGER;
  return Math.floor(budget / estimate.perSampleBytes);
}

/**
 * One plain sentence when the estimate exceeds 80 % of `availableBytes`, else null. The training
 * engine prints it (CLI) or emits it (UI) before the first epoch; it does not stop the run.
 */
export function memoryWarning(estimate: MemoryEstimate, availableBytes: number): string | null {
  if (estimate.totalBytes <= availableBytes * HEADROOM) return null;
  const need = `Training needs about ${formatBytes(estimate.totalBytes)} of memory (batch size ${estimate.batchSize}), but only ${formatBytes(availableBytes)} is available`;
  const fits = largestFittingBatch(estimate, availableBytes);
  if (fits === 0) {
    return `${need}; the model's weights and optimizer state alone (${formatBytes(estimate.fixedBytes)}) do not fit, so make the model smaller.`;
  }
  const suggestion = fits >= 2 ? 2 ** Math.floor(Math.log2(fits)) : 1;
  return `${need}; lower the batch size to ${suggestion} or make the model smaller.`;
}
