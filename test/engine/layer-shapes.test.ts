// For every layer type, over a spread of parameters: the shape and parameter count Netwright infers
// without tfjs equal what the compiled tfjs model reports, and a real forward pass produces that shape.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { layerTypes } from '../../engine/layers/registry.ts';
import { singleLayerGraph } from './graph-helpers.ts';
import { LAYER_CASES as CASES } from './layer-cases.ts';

/** Concrete batch shape for a forward pass: batch 2, varying sizes (-1) become 5. */
const sample = (shape: number[]) => [2, ...shape.map((d) => (d === -1 ? 5 : d))];
/** `null` in an inferred shape matches any concrete size. */
const matches = (actual: number[], inferred: (number | null)[]) =>
  actual.length === inferred.length && actual.every((d, i) => inferred[i] === null || inferred[i] === d);

describe('every layer type: inferred shape and parameter count equal tfjs', () => {
  it('covers every registered layer type', () => {
    const covered = new Set(['Input', 'Output', ...CASES.map((c) => c[0])]);
    expect(layerTypes().filter((t) => !covered.has(t))).toEqual([]);
  });

  it.each(
    CASES.map((c, i) => [`${c[0]} #${i} on ${JSON.stringify(c[1])} ${JSON.stringify(c[2])}`, c] as const),
  )('%s', (_label, [type, inputs, params]) => {
    const graph = singleLayerGraph(inputs, type, params);
    const compiled = compileGraph(tf, graph);
    try {
      const info = compiled.inspection.nodes.find((n) => n.id === 'layer')!;
      const layer = compiled.layerOf.get('layer')!;
      expect(layer.getClassName()).toBe(type);
      expect(info.outputShape).toEqual(layer.outputShape);
      expect(info.paramCount).toBe(layer.countParams());
      expect(compiled.inspection.totalParams).toBe(compiled.model.countParams());
      tf.tidy(() => {
        const xs = inputs.map((s) => tf.zeros(sample(s)));
        const y = compiled.model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
        expect(matches(y.shape, info.outputShape!), `forward pass gave ${JSON.stringify(y.shape)}`).toBe(
          true,
        );
      });
    } finally {
      compiled.model.dispose();
    }
  });
});
