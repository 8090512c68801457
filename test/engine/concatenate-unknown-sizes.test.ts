// Concatenate compares the sizes of the other axes exactly, as tfjs does when it builds the layer:
// an unknown size (an Input of length -1) does not match a fixed one. inspect used to accept such a
// graph and compiling then failed inside tfjs (found by test/reliability/layer-property.test.ts).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { singleLayerGraph } from './graph-helpers.ts';

describe('Concatenate with sizes of unknown length', () => {
  it('refuses an unknown size beside a fixed one, in one sentence naming the fix', () => {
    const r = inspectGraph(
      singleLayerGraph(
        [
          [-1, 3],
          [3, 3],
        ],
        'Concatenate',
        {},
      ),
    );
    expect(r.valid).toBe(false);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].nodeId).toBe('layer');
    expect(errors[0].message).toMatch(
      /axis 1 is unknown in one branch and fixed in another\); give the Inputs the same fixed size/,
    );
    expect(errors[0].message).not.toMatch(/\n/);
  });

  it('accepts unknown sizes on both sides, and tfjs builds it with the inferred shape', () => {
    const graph = singleLayerGraph(
      [
        [-1, 3],
        [-1, 2],
      ],
      'Concatenate',
      {},
    );
    const compiled = compileGraph(tf, graph);
    const info = compiled.inspection.nodes.find((n) => n.id === 'layer')!;
    expect(info.outputShape).toEqual([null, null, 5]);
    expect(compiled.layerOf.get('layer')!.outputShape).toEqual([null, null, 5]);
    compiled.model.dispose();
  });
});
