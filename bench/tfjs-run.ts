// One tfjs measurement: a workload trained through Netwright's own path (compileGraph + trainLoop)
// on the chosen backend. Returns samples/s over the timed epochs, after the warm-up epochs
// (bench/workloads.ts warmupEpochs), and the first epoch's own samples/s.
import { selectBackend, type BackendChoice } from '../engine/backend.ts';
import { takeDeviceError } from '../engine/backends/webgpu-errors.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { trainLoop } from '../engine/train/loop.ts';
import { CLASSES, SAMPLES, warmupEpochs, type Workload } from './workloads.ts';

/** How much to train: the workload's own batch and the bench's defaults unless the caller says otherwise. */
export interface RunSize {
  batch?: number;
  samples?: number;
  timedEpochs?: number;
  /** Steps trained before the timed epochs (whole epochs, at least one). */
  warmupSteps?: number;
}

export function randomData(workload: Workload, seed: number, samples: number) {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  const per = workload.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(samples * per);
  for (let i = 0; i < x.length; i++) x[i] = rand() * 2 - 1;
  const y = new Float32Array(samples * CLASSES);
  for (let i = 0; i < samples; i++) y[i * CLASSES + Math.floor(rand() * CLASSES)] = 1;
  return {
    x: [{ data: x, shape: [samples, ...workload.inputShape] }],
    y: { data: y, shape: [samples, CLASSES] },
  };
}

export interface TfjsResult {
  /** The backend id, with "×2" when batches were split across 2 threads, "(software)" on a software adapter. */
  backend: string;
  samplesPerSec: number;
  /** samples/s of the first epoch, V8 still compiling (a cold start in a fresh process; later runs in
   *  the same process keep its compiled code and parked threads). */
  firstEpochSamplesPerSec: number;
  /** Ran on a software WebGPU adapter (SwiftShader…): not a GPU figure. */
  software: boolean;
  /** Threads the training used (2 when batches were split across a worker thread). */
  threads: number;
  /** tf.memory().numTensors after each epoch (a leak shows as growth). */
  tensorsAfterEpoch: number[];
}

export async function runTfjs(
  workload: Workload,
  choice: BackendChoice,
  dataParallel?: boolean,
  size: RunSize = {},
): Promise<TfjsResult> {
  const { batch = workload.batch, samples = SAMPLES, timedEpochs = workload.timedEpochs, warmupSteps } = size;
  const warmup = warmupEpochs(samples, batch, warmupSteps);
  const info = await selectBackend(choice);
  const tf = info.tf;
  const { model } = compileGraph(tf, workload.graph);
  const tensorsAfterEpoch: number[] = [];
  try {
    const result = await trainLoop({
      tf,
      model,
      loss: 'categoricalCrossentropy',
      train: randomData(workload, 42, samples),
      optimizer: { type: 'adam', learningRate: 0.001 },
      epochs: warmup + timedEpochs,
      batchSize: batch,
      seed: 42,
      dataParallel,
      takeDeviceError: info.id === 'webgpu' ? takeDeviceError : undefined,
      onProgress: (p) => {
        if (p.phase === 'epoch') tensorsAfterEpoch.push(tf.memory().numTensors);
      },
    });
    if (result.status !== 'complete') throw new Error(result.message ?? `training ${result.status}`);
    const timed = result.history.slice(warmup).reduce((a, e) => a + e.seconds, 0);
    return {
      backend: info.software
        ? `${info.id} (software)`
        : result.threads > 1
          ? `${info.id}×${result.threads}`
          : info.id,
      software: info.software === true,
      samplesPerSec: (samples * timedEpochs) / timed,
      firstEpochSamplesPerSec: samples / result.history[0].seconds,
      threads: result.threads,
      tensorsAfterEpoch,
    };
  } finally {
    model.dispose();
  }
}
