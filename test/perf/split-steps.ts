// Two-thread trainers for the data-parallel tests (not a test file itself): a graph compiled from
// fixed weights (seed 7), categorical cross-entropy, batches of 32, seed 5.
import type * as tfjs from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import type { TensorData } from '../../engine/data/types.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { startDataParallel, type DataParallelOptions } from '../../engine/train/parallel/data-parallel.ts';

export interface SplitData {
  x: TensorData[];
  y: TensorData;
}

export async function startSplit(
  tf: typeof tfjs,
  graph: Graph,
  train: SplitData,
  optimizer: tfjs.Optimizer,
  options: Partial<DataParallelOptions>,
) {
  const { model } = withRandom(mulberry32(7), () => compileGraph(tf, graph));
  const dp = await startDataParallel({
    tf,
    model,
    optimizer,
    loss: 'categoricalCrossentropy',
    train,
    batchSize: 32,
    seed: 5,
    ...options,
  });
  return { model, dp };
}

/** `steps` split steps over rows spread through the data: the losses, the final weights and how many
 *  steps this thread took alone. */
export async function splitSteps(
  tf: typeof tfjs,
  graph: Graph,
  train: SplitData,
  optimizer: tfjs.Optimizer,
  steps: number,
  rngFor: (step: number) => () => number,
  options: Partial<DataParallelOptions>,
) {
  const { model, dp } = await startSplit(tf, graph, train, optimizer, options);
  const n = train.y.shape[0];
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const rows = Int32Array.from({ length: 32 }, (_, i) => (s * 13 + i * 7) % n);
    losses.push(dp.step(rows, rngFor(s))[0]);
  }
  const alone = dp.stepsAlone;
  await dp.dispose();
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  model.dispose();
  optimizer.dispose();
  return { losses, weights, alone };
}
