// The model a training run starts from: the graph compiled with the run's seed, or one sentence
// saying why it can't be trained (an invalid graph, not exactly one Output, a loss the trainer
// doesn't know, no trainable weights). A single run (train-project.ts) and cross-validation (eval/cv.ts) both start here,
// so they refuse the same graphs with the same words.
import type * as tfjs from '@tensorflow/tfjs';
import { compileGraph } from '../compile/tfjs-model.ts';
import type { Graph } from '../project/schema.ts';
import { mulberry32, withRandom } from '../random.ts';
import { TrainingConfigError } from './config.ts';
import { LOSS_NAMES, type LossName } from './losses.ts';
import { applyWeights } from '../weights/apply-weights.ts';
import type { NamedWeights } from '../weights/named-weights.ts';

export interface TrainableModel {
  model: tfjs.LayersModel;
  loss: LossName;
}

/** Weights a training run starts from, and what to call their origin in messages. */
export interface StartWeights {
  weights: NamedWeights;
  /** Where a weight (by full name) comes from, for messages. */
  source: string | ((weightName: string) => string);
}

/**
 * The model `netwright train` starts from with this seed: the layers `start` covers take its weights,
 * the rest the seeded initialisation. Throws CompileError for an invalid graph.
 */
export function compileWithStart(
  tf: typeof tfjs,
  graph: Graph,
  seed: number,
  start?: StartWeights | null,
): ReturnType<typeof compileGraph> {
  const compiled = withRandom(mulberry32(seed), () => compileGraph(tf, graph));
  if (start) {
    try {
      applyWeights(tf, compiled.layerOf, start.weights, start.source);
    } catch (err) {
      compiled.model.dispose();
      throw err;
    }
  }
  return compiled;
}

/**
 * Throws CompileError for an invalid graph and TrainingConfigError for one training can't use. With
 * `start`, the layers it covers start from its weights instead of the seeded initialisation.
 */
export function compileForTraining(
  tf: typeof tfjs,
  graph: Graph,
  seed: number,
  start?: StartWeights | null,
): TrainableModel {
  const compiled = compileWithStart(tf, graph, seed, start);
  const loss = compiled.losses[0] as LossName;
  let refusal: string | null = null;
  if (compiled.outputIds.length !== 1)
    refusal = `Training needs exactly one Output node; this graph has ${compiled.outputIds.length}.`;
  else if (!LOSS_NAMES.includes(loss)) refusal = `${compiled.outputIds[0]}: unknown loss "${loss}".`;
  else if (compiled.model.trainableWeights.length === 0)
    refusal =
      'This graph has no trainable weights, so there is nothing to train; add a layer with weights (Dense, Conv2D, LSTM…) before the Output.';
  if (refusal !== null) {
    compiled.model.dispose();
    throw new TrainingConfigError(refusal);
  }
  return { model: compiled.model, loss };
}
