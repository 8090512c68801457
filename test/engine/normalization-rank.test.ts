// BatchNormalization and LayerNormalization on inputs of more than 3 axes (besides the batch): tfjs's
// batch-normalisation op refuses 5-D tensors ("batchNormalization is not implemented for array of
// rank 5 yet", found by test/reliability/layer-property.test.ts once it drew rank-4 inputs), so
// inspect refuses them with the Reshape that fixes it; 3 axes still compile and run.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { singleLayerGraph } from './graph-helpers.ts';

describe('normalisation layers and the rank of their input', () => {
  for (const type of ['BatchNormalization', 'LayerNormalization']) {
    it(`${type} refuses 4 axes besides the batch, naming the Reshape`, () => {
      const r = inspectGraph(singleLayerGraph([[3, 4, 3, 2]], type, {}));
      expect(r.valid).toBe(false);
      expect(r.diagnostics.map((d) => d.message)).toEqual([
        `${type} works on inputs of at most 3 axes besides the batch in TensorFlow.js, but its input is [3, 4, 3, 2]; add a Reshape before it that merges axes, e.g. to [36, 2].`,
      ]);
    });

    it(`${type} on 3 axes compiles and runs`, () => {
      const { model } = compileGraph(tf, singleLayerGraph([[3, 4, 2]], type, {}));
      const y = tf.tidy(() => (model.apply(tf.ones([2, 3, 4, 2]), { training: true }) as tf.Tensor).shape);
      expect(y).toEqual([2, 3, 4, 2]);
      model.dispose();
    });
  }
});
