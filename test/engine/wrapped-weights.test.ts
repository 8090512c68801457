// A wrapped layer's weights (Bidirectional's two directions) have names of their own: the export,
// start weights and weights files see six distinct tensors, and `<node>/forward_rnn/kernel` splits
// at the node id, so startFrom's renaming reaches them (engine/weights/named-weights.ts).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { layerWeights } from '../../engine/export/tfjs-weights.ts';
import { applyWeights } from '../../engine/weights/apply-weights.ts';
import { splitWeightName, weightName } from '../../engine/weights/named-weights.ts';
import { randomizeWeights } from '../onnx/harness.ts';
import { singleLayerGraph } from './graph-helpers.ts';

await tf.setBackend('cpu');

describe('weights of a Bidirectional node', () => {
  const graph = singleLayerGraph([[5, 3]], 'Bidirectional', { layer: 'GRU', units: 2 });

  it('are six distinct tensors that carry over to another compile of the graph', () => {
    const source = compileGraph(tf, graph);
    randomizeWeights(source.model, 11);
    const weights = layerWeights(source.model, 'layer');
    expect([...weights.keys()].sort()).toEqual([
      'backward_rnn/bias',
      'backward_rnn/kernel',
      'backward_rnn/recurrent_kernel',
      'forward_rnn/bias',
      'forward_rnn/kernel',
      'forward_rnn/recurrent_kernel',
    ]);
    const target = compileGraph(tf, graph);
    const named = new Map([...weights].map(([short, w]) => [weightName('layer', short), w]));
    applyWeights(tf, new Map([['layer', target.model.getLayer('layer')]]), named, 'the source');
    const after = layerWeights(target.model, 'layer');
    for (const [short, w] of weights)
      expect(Array.from(after.get(short)!.data), short).toEqual(Array.from(w.data));
    source.model.dispose();
    target.model.dispose();
  });

  it('split at the node id, which may itself hold "/"', () => {
    expect(splitWeightName('bi/forward_rnn/kernel')).toEqual({ nodeId: 'bi', weight: 'forward_rnn/kernel' });
    expect(splitWeightName('enc/bi/backward_rnn/bias')).toEqual({
      nodeId: 'enc/bi',
      weight: 'backward_rnn/bias',
    });
    expect(splitWeightName('enc/d1/kernel')).toEqual({ nodeId: 'enc/d1', weight: 'kernel' });
  });
});
