// Times a few real training steps of a graph on the active tfjs backend, for `auto`'s choice
// between a GPU and a CPU backend (engine/backends/auto-choice.ts). Each step is what the training
// loop does per batch: forward, loss, gradients, optimizer update and one read of the loss. The
// first steps compile shaders or warm caches and are not counted.
import type * as tfjs from '@tensorflow/tfjs';
import type { Graph } from '../project/schema.ts';
import { withRandom, mulberry32 } from '../random.ts';
import { lossFunction } from './losses.ts';
import { createOptimizer, type OptimizerConfig } from './optimizers.ts';
import { compileForTraining } from './trainable-model.ts';

export interface StepTiming {
  graph: Graph;
  batchSize: number;
  seed: number;
  optimizer: OptimizerConfig;
  /** Untimed steps first (default 2). */
  warmup?: number;
  /** Timed steps (default 3); fewer when they exceed budgetMs. */
  steps?: number;
  /** Stop timing once this much time was spent on timed steps (default 3000 ms). */
  budgetMs?: number;
}

/** Length used for a dimension the graph leaves open (a variable sequence length). */
const OPEN_DIM = 16;

/** Median milliseconds per training step of `graph` at `batchSize` on tf's active backend. */
export async function timeTrainingSteps(tf: typeof tfjs, o: StepTiming): Promise<number> {
  const { model, loss } = compileForTraining(tf, o.graph, o.seed);
  const rng = mulberry32(o.seed);
  const shapeOf = (s: readonly (number | null)[]) => [o.batchSize, ...s.slice(1).map((d) => d ?? OPEN_DIM)];
  // Values in [0, 1): valid for every input (Embedding ids floor to 0) and every loss.
  const xs = model.inputs.map((i) => withRandom(rng, () => tf.randomUniform(shapeOf(i.shape))));
  const y = tf.zeros(shapeOf(model.outputs[0].shape));
  const lossFn = lossFunction(tf, loss);
  const optimizer = createOptimizer(tf, o.optimizer);
  const trainable = model.trainableWeights.map((w) => w.read() as tfjs.Variable);
  const step = async () => {
    const value = optimizer.minimize(
      () => {
        const pred = model.apply(xs.length === 1 ? xs[0] : xs, { training: true }) as tfjs.Tensor;
        return lossFn(y, pred);
      },
      true,
      trainable,
    )!;
    await value.data();
    value.dispose();
  };
  try {
    for (let i = 0; i < (o.warmup ?? 2); i++) await withRandom(rng, step);
    const times: number[] = [];
    let spent = 0;
    for (let i = 0; i < (o.steps ?? 3) && spent < (o.budgetMs ?? 3000); i++) {
      const t0 = performance.now();
      await withRandom(rng, step);
      times.push(performance.now() - t0);
      spent += times.at(-1)!;
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    tf.dispose([...xs, y]);
    optimizer.dispose();
    model.dispose();
  }
}
