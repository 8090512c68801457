// The shared memory between the training thread and a replica worker: a control block, the
// replica's slice of the batch, the current weights (written by the trainer), the replica's
// gradients, loss and metric (written by the worker), and the two sides' batch-statistics exchange
// slots (stat-exchange.ts). Both sides build the same views from it.
import { endToEnd } from './host-copy.ts';

/** Int32 control slots. */
export const CTRL = {
  /** Bumped by the trainer for each request. */
  request: 0,
  /** Set by the worker to the request it finished. */
  done: 1,
  /** 1 = step, 2 = stop. */
  command: 2,
  /** Rows in this request. */
  rows: 3,
  /** 0 = ok, 1 = the worker failed (its message arrives by postMessage). */
  failed: 4,
  /** 1 once the worker has built its replica. */
  ready: 5,
  /** How many batch-statistics exchanges the trainer, then the worker, has published. */
  arrived0: 6,
  arrived1: 7,
  /** 1 = the trainer gave up a step midway (the worker must not wait for it). */
  aborted: 8,
} as const;
export const COMMAND_STEP = 1;
export const COMMAND_STOP = 2;
const CTRL_SLOTS = 12;
const ERROR_BYTES = 1024;

export interface LayoutSpec {
  /** Per-row shapes and element counts of each model input, then of the target. */
  inputRowShapes: number[][];
  targetRowShape: number[];
  inputRowSizes: number[];
  targetRowSize: number;
  maxRows: number;
  /** Element count of each trainable weight, in model.trainableWeights order. */
  weightSizes: number[];
  /** Channels of the widest layer whose batch statistics the threads exchange (0: none). */
  syncChannels: number;
}

export interface SharedViews {
  ctrl: Int32Array;
  /** [loss, metric]. */
  scalars: Float64Array;
  /** Exchange slots: for each side (trainer, worker), two alternating slots of syncSlotSize. */
  sync: Float64Array;
  syncSlotSize: number;
  inputs: Float32Array[];
  target: Float32Array;
  weights: Float32Array;
  grads: Float32Array;
  /** UTF-8 text of the worker's failure, NUL-padded. */
  error: Uint8Array;
  /** Start of each weight in `weights` / `grads`. */
  offsets: number[];
}

export function bufferBytes(s: LayoutSpec): number {
  const floats =
    s.inputRowSizes.reduce((a, r) => a + r * s.maxRows, 0) +
    s.targetRowSize * s.maxRows +
    2 * total(s.weightSizes);
  return CTRL_SLOTS * 4 + 2 * 8 + 4 * syncSlotSize(s) * 8 + floats * 4 + ERROR_BYTES;
}

export function viewsOf(buffer: SharedArrayBuffer, s: LayoutSpec): SharedViews {
  let at = 0;
  const ctrl = new Int32Array(buffer, at, CTRL_SLOTS);
  at += CTRL_SLOTS * 4;
  const scalars = new Float64Array(buffer, at, 2);
  at += 16;
  const slot = syncSlotSize(s);
  const sync = new Float64Array(buffer, at, 4 * slot);
  at += 4 * slot * 8;
  const f32 = (n: number) => {
    const v = new Float32Array(buffer, at, n);
    at += n * 4;
    return v;
  };
  const inputs = s.inputRowSizes.map((r) => f32(r * s.maxRows));
  const target = f32(s.targetRowSize * s.maxRows);
  const w = total(s.weightSizes);
  const weights = f32(w);
  const grads = f32(w);
  const error = new Uint8Array(buffer, at, ERROR_BYTES);
  const { offsets } = endToEnd(s.weightSizes);
  return { ctrl, scalars, sync, syncSlotSize: slot, inputs, target, weights, grads, error, offsets };
}

/** A tag, a length, then the exchanged vector: a row count and two per-channel vectors. */
function syncSlotSize(s: LayoutSpec): number {
  return 3 + 2 * s.syncChannels;
}

function total(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** The seed of the second share's dropout stream for one request: a function of the run's seed and
 *  the request number only, so the replica and the trainer draw the same masks for it. */
export function secondShareSeed(seed: number, request: number): number {
  return (seed ^ Math.imul(request, 0x9e3779b1) ^ 0x2545f491) >>> 0;
}
