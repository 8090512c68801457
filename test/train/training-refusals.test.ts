// Regression tests for what the layer property test (test/reliability/layer-property.test.ts) found:
// a graph with no trainable weights is refused before training with one sentence (tfjs threw
// "variableGrads() expects at least one of the input variables to be trainable"), and an RNN over a
// one-step sequence passes gradients back to the layer before it (tfjs's Unpack gradient threw
// "Argument tensors passed to stack must be a `Tensor[]`").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { compileForTraining } from '../../engine/train/trainable-model.ts';
import { TrainingConfigError } from '../../engine/train/config.ts';
import { describeFailure } from '../../engine/train/train-project.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import { chainGraph } from '../engine/graph-helpers.ts';

beforeAll(async () => {
  expect((await selectBackend('wasm')).id).toBe('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('training refuses or trains what inspect accepts', () => {
  it('a graph without trainable weights is refused in one sentence, as invalid input', () => {
    const graph = chainGraph([4, 4], [['Flatten', {}]], 'meanSquaredError');
    let error: unknown;
    try {
      compileForTraining(tf, graph, 1);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TrainingConfigError);
    const { message, failure } = describeFailure(error);
    expect(failure).toBe('invalid');
    expect(message).toBe(
      'This graph has no trainable weights, so there is nothing to train; add a layer with weights (Dense, Conv2D, LSTM…) before the Output.',
    );
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    for (const rnn of ['SimpleRNN', 'LSTM', 'GRU']) {
      it(`Conv1D → ${rnn} over one time step trains the Conv1D on ${backend}`, async () => {
        await tf.setBackend(backend);
        // [2, 3] with kernel 1 and stride 3 leaves one step for the RNN.
        const graph = chainGraph(
          [2, 3],
          [
            ['Conv1D', { filters: 4, kernelSize: 1, strides: 3 }],
            [rnn, { units: 2 }],
          ],
          'meanSquaredError',
        );
        const { model, loss } = compileForTraining(tf, graph, 1);
        const conv = model.getLayer('n0');
        const before = conv.getWeights()[0].dataSync().slice();
        const result = await trainLoop({
          tf,
          model,
          loss,
          train: {
            x: [{ data: Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), shape: [4, 2, 3] }],
            y: { data: Float32Array.from({ length: 8 }, (_, i) => Math.cos(i)), shape: [4, 2] },
          },
          optimizer: { type: 'adam', learningRate: 0.05 },
          epochs: 1,
          batchSize: 4,
          seed: 1,
        });
        expect(result.status, result.message).toBe('complete');
        const after = conv.getWeights()[0].dataSync();
        expect(after.some((v, i) => Math.abs(v - before[i]) > 1e-6)).toBe(true);
        model.dispose();
      });
    }
  }
});
