// Synchronised batch statistics: while two threads each train on a share of one batch
// (engine/train/parallel/), the fused BatchNormalization kernels hand their per-channel partial sums
// to the other thread and continue with the whole batch's, so both compute what one thread computes
// on the whole batch. The threads' transport (shared memory and a barrier) lives with the trainer;
// the kernels see only this interface, set for the duration of one share's forward and backward.

export interface BatchStatSync {
  /**
   * Swap one vector of partial figures with the other thread (both call this the same number of
   * times, in the same order, with the same tag) and return every thread's, in thread order, so
   * both sides combine them identically. Throws when the other thread failed or stopped.
   */
  exchange(tag: number, mine: Float64Array): Float64Array[];
}

let active: BatchStatSync | null = null;

/** The exchange of the share being computed now, or null (one thread, or not training). */
export function activeBatchStatSync(): BatchStatSync | null {
  return active;
}

/** Run `fn` (one share's forward and backward) with batch statistics exchanged through `sync`. */
export function withBatchStatSync<T>(sync: BatchStatSync, fn: () => T): T {
  const outer = active;
  active = sync;
  try {
    return fn();
  } finally {
    active = outer;
  }
}
