// The way back: for every layer case and every example, the weights converted to model.py's
// state_dict and back (what import-checkpoint does with a checkpoint) are the tfjs weights again.
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { listExamples, loadExample } from '../../engine/examples.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { torchGraph } from '../../engine/pytorch/torch-graph.ts';
import { setTfjsWeights, torchState } from '../../engine/pytorch/weights.ts';
import { singleLayerGraph } from '../engine/graph-helpers.ts';
import { LAYER_CASES } from '../engine/layer-cases.ts';
import { randomizeWeights, tf } from './harness.ts';

function roundTrip(graph: Graph, seed: number): void {
  const source = compileGraph(tf, graph);
  randomizeWeights(source.model, seed);
  const state = torchState(torchGraph(source.inspection), source.model);
  const target = compileGraph(tf, graph);
  setTfjsWeights(tf, torchGraph(target.inspection), target.model, (key) => {
    const t = state.get(key);
    if (!t) throw new Error(`no ${key}`);
    return t;
  });
  const names = source.model.weights.map((w) => w.originalName);
  expect(target.model.weights.map((w) => w.originalName)).toEqual(names);
  source.model.weights.forEach((w, i) => {
    const back = target.model.weights[i].read().dataSync();
    expect(Array.from(back), names[i]).toEqual(Array.from(w.read().dataSync()));
  });
  source.model.dispose();
  target.model.dispose();
}

describe('tfjs → state_dict → tfjs gives the same weights', () => {
  it.each(LAYER_CASES.map((c, i) => [`${c[0]} #${i}`, c] as const))(
    '%s',
    (_label, [type, inputs, params]) => {
      roundTrip(singleLayerGraph(inputs, type, params), 3);
    },
  );

  it('every example project', async () => {
    for (const example of await listExamples()) roundTrip((await loadExample(example.id)).graph, 5);
  });
});
