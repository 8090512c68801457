// When tfjs throws during training, the user gets one sentence naming the node and what to change,
// never tfjs's own text (which names kernels and internals, not the graph). The node is found by
// running the model up to each layer in turn, forward and then backward, on the first rows of the
// training data: the first layer that fails on its own is the one to blame. tfjs's error stays
// attached as `cause` for --debug.
import type * as tfjs from '@tensorflow/tfjs';
import type { TensorData } from '../data/types.ts';

/** A training failure explained for the user; `nodeId` is null when no single node is to blame. */
export class TrainingFailure extends Error {
  constructor(
    message: string,
    readonly nodeId: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const PROBE_ROWS = 2;

function firstRows(tf: typeof tfjs, data: TensorData): tfjs.Tensor {
  const per = data.shape.slice(1).reduce((a, b) => a * b, 1);
  const rows = Math.min(PROBE_ROWS, data.shape[0]);
  return tf.tensor(data.data.subarray(0, rows * per), [rows, ...data.shape.slice(1)]);
}

type Phase = 'forward' | 'backward';

/** Which phase of `layer` (run from the model's inputs) throws, if any. */
function failingPhase(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  layer: tfjs.layers.Layer,
  inputs: tfjs.Tensor[],
): Phase | null {
  let sub: tfjs.LayersModel;
  try {
    sub = tf.model({ inputs: model.inputs, outputs: layer.output as tfjs.SymbolicTensor });
  } catch {
    return null; // a layer used more than once has no single output to probe
  }
  const run = () => sub.apply(inputs.length === 1 ? inputs[0] : inputs, { training: true }) as tfjs.Tensor;
  try {
    tf.tidy(run);
  } catch {
    return 'forward';
  }
  const variables = sub.trainableWeights.map((w) => w.read() as tfjs.Variable);
  if (variables.length === 0) return null;
  try {
    tf.tidy(() => {
      tf.variableGrads(() => tf.sum(run()) as tfjs.Scalar, variables);
    });
  } catch {
    return 'backward';
  }
  return null;
}

function sentence(id: string, type: string, phase: Phase): string {
  return phase === 'forward'
    ? `Training failed at node "${id}" (${type}): it could not be computed on the training data; ` +
        (type === 'Embedding'
          ? 'its input must be whole-number ids from 0 to inputDim − 1, so raise inputDim or check the data.'
          : 'check the sizes and values it receives, or change its parameters.')
    : `Training failed at node "${id}" (${type}): TensorFlow.js cannot compute its gradient with these parameters; ` +
        'change them or replace the layer.';
}

/**
 * Explain an error thrown by tfjs while training `model` on `train` (the model's inputs, in order):
 * the first layer (node) that fails on the first training rows, or the loss when every layer runs.
 */
export function explainTrainingError(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  train: TensorData[],
  err: unknown,
): TrainingFailure {
  if (err instanceof TrainingFailure) return err;
  const inputs = train.map((d) => firstRows(tf, d));
  try {
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      const phase = failingPhase(tf, model, layer, inputs);
      if (phase)
        return new TrainingFailure(sentence(layer.name, layer.getClassName(), phase), layer.name, {
          cause: err,
        });
    }
  } finally {
    tf.dispose(inputs);
  }
  return new TrainingFailure(
    'Training failed while computing the loss; check that the target data matches the Output node (its shape and, for classification, its classes).',
    null,
    { cause: err },
  );
}
