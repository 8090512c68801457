// GPU errors WebGPU does not throw. A buffer the GPU cannot hold (over the device's buffer limit,
// or out of memory) is reported as an "uncapturederror" event and the ops that use it silently do
// nothing, so the loss would read as garbage. The device's first error since the last check is
// kept here; the training loop checks after every step and stops with one sentence.
import { formatBytes } from '../train/memory-estimate.ts';

let pending: string | null = null;
const watched = new WeakSet<object>();

/** Starts recording the device's uncaptured errors (once per device). */
export function watchDevice(device: GPUDevice): void {
  if (watched.has(device)) return;
  watched.add(device);
  device.addEventListener('uncapturederror', (event) => {
    pending ??= (event as GPUUncapturedErrorEvent).error.message;
  });
}

/** The first GPU error since the last call, or null. */
export function takeDeviceError(): string | null {
  const error = pending;
  pending = null;
  return error;
}

/** One sentence for a GPU error during training at `batchSize`, naming a batch size to try. */
export function describeDeviceError(error: string, batchSize: number): string {
  const limit = /Buffer size \((\d+)\) exceeds the max buffer size limit \((\d+)\)/.exec(error);
  if (limit) {
    const [need, max] = [Number(limit[1]), Number(limit[2])];
    const fits = powerOfTwoAtMost(Math.floor((batchSize * max) / need));
    return (
      `the GPU cannot hold batch size ${batchSize}: one tensor needs ${formatBytes(need)} and this GPU allows ${formatBytes(max)} per buffer. ` +
      (fits >= 1 ? `Try batch size ${fits} or a smaller model.` : 'Make the model smaller.')
    );
  }
  if (/out of memory|OutOfMemory|allocation/i.test(error)) {
    const half = powerOfTwoAtMost(Math.floor(batchSize / 2));
    return (
      `the GPU ran out of memory at batch size ${batchSize}. ` +
      (half >= 1 ? `Try batch size ${half} or a smaller model.` : 'Make the model smaller.')
    );
  }
  return `the GPU reported an error (${error.split('\n')[0].slice(0, 160)}).`;
}

function powerOfTwoAtMost(n: number): number {
  return n >= 1 ? 2 ** Math.floor(Math.log2(n)) : 0;
}
