// Every registered layer type trains on the WebAssembly backend: a Dense layer sits BEFORE the layer
// under test, so its weights only change if gradients flow back through that layer on wasm (the
// custom kernels of engine/kernels/ included).
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { getLayer, layerTypes } from '../../engine/layers/registry.ts';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { portAt } from '../../engine/layers/ports.ts';
import { ACTIVATIONS } from '../../engine/layers/types.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { trainLoop } from '../../engine/train/loop.ts';

type P = Record<string, unknown>;
interface Case {
  input: number[];
  /** The layer under test, after a Dense "pre" layer (or, for merges, two of them). */
  layer: [string, P];
  flatten?: boolean;
  merge?: boolean;
  /** Integer inputs feed the layer directly (Embedding): its own weights must change. */
  integerInput?: number;
}

const SEQ = [6, 3];
const IMG = [6, 6, 2];
const CASES: Record<string, Case[]> = {
  Dense: [{ input: [6], layer: ['Dense', { units: 4, activation: 'tanh' }] }],
  Activation: ACTIVATIONS.map((a) => ({ input: [6], layer: ['Activation', { activation: a }] }) as Case),
  Embedding: [
    { input: [5], layer: ['Embedding', { inputDim: 10, outputDim: 3 }], flatten: true, integerInput: 10 },
  ],
  Conv1D: [
    {
      input: SEQ,
      layer: ['Conv1D', { filters: 4, kernelSize: 3, padding: 'same', strides: 2 }],
      flatten: true,
    },
    { input: SEQ, layer: ['Conv1D', { filters: 4, kernelSize: 2, activation: 'relu' }], flatten: true },
  ],
  Conv2D: [
    { input: IMG, layer: ['Conv2D', { filters: 4, kernelSize: 3, activation: 'relu' }], flatten: true },
    {
      input: IMG,
      layer: ['Conv2D', { filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same' }],
      flatten: true,
    },
  ],
  MaxPooling1D: [{ input: SEQ, layer: ['MaxPooling1D', { poolSize: 2 }], flatten: true }],
  MaxPooling2D: [
    { input: IMG, layer: ['MaxPooling2D', { poolSize: 2, padding: 'same', strides: 2 }], flatten: true },
  ],
  AveragePooling1D: [{ input: SEQ, layer: ['AveragePooling1D', { poolSize: 2 }], flatten: true }],
  AveragePooling2D: [{ input: IMG, layer: ['AveragePooling2D', { poolSize: 2 }], flatten: true }],
  GlobalAveragePooling1D: [{ input: SEQ, layer: ['GlobalAveragePooling1D', {}] }],
  GlobalAveragePooling2D: [{ input: IMG, layer: ['GlobalAveragePooling2D', {}] }],
  GlobalMaxPooling1D: [{ input: SEQ, layer: ['GlobalMaxPooling1D', {}] }],
  GlobalMaxPooling2D: [{ input: IMG, layer: ['GlobalMaxPooling2D', {}] }],
  Flatten: [{ input: IMG, layer: ['Flatten', {}] }],
  Reshape: [{ input: [6], layer: ['Reshape', { targetShape: [2, 2] }], flatten: true }],
  Dropout: [{ input: [6], layer: ['Dropout', { rate: 0.3 }] }],
  BatchNormalization: [
    { input: [6], layer: ['BatchNormalization', {}] },
    { input: IMG, layer: ['BatchNormalization', {}], flatten: true },
  ],
  LayerNormalization: [{ input: [6], layer: ['LayerNormalization', {}] }],
  SimpleRNN: [{ input: SEQ, layer: ['SimpleRNN', { units: 4 }] }],
  LSTM: [
    { input: SEQ, layer: ['LSTM', { units: 4 }] },
    { input: SEQ, layer: ['LSTM', { units: 4, returnSequences: true }], flatten: true },
  ],
  GRU: [{ input: SEQ, layer: ['GRU', { units: 4 }] }],
  Add: [{ input: [6], layer: ['Add', {}], merge: true }],
  Multiply: [{ input: [6], layer: ['Multiply', {}], merge: true }],
  Average: [{ input: [6], layer: ['Average', {}], merge: true }],
  Concatenate: [{ input: [6], layer: ['Concatenate', {}], merge: true }],
  // query from one Dense, key (and value) from the other
  MultiHeadAttention: [
    { input: SEQ, layer: ['MultiHeadAttention', { numHeads: 2, keyDim: 3 }], merge: true, flatten: true },
    {
      input: SEQ,
      layer: ['MultiHeadAttention', { numHeads: 2, keyDim: 2, causal: true, dropout: 0.2 }],
      merge: true,
      flatten: true,
    },
  ],
};

function graphFor(c: Case): Graph {
  const nodes: Graph['nodes'] = [{ id: 'in', type: 'Input', params: { shape: c.input } }];
  const edges: Graph['edges'] = [];
  const link = (source: string, target: string, port?: number) =>
    edges.push({
      id: `e${edges.length}`,
      source,
      target,
      ...(port === undefined ? {} : { port: portAt(getLayer(c.layer[0])!, port) }),
    });
  const [type, params] = c.layer;
  nodes.push({ id: 'under_test', type, params: params as never });
  if (c.integerInput) link('in', 'under_test');
  else {
    const pres = c.merge ? ['pre', 'pre2'] : ['pre'];
    pres.forEach((id, port) => {
      nodes.push({ id, type: 'Dense', params: { units: 4 } });
      link('in', id);
      link(id, 'under_test', c.merge ? port : undefined);
    });
  }
  let last = 'under_test';
  if (c.flatten) {
    nodes.push({ id: 'flat', type: 'Flatten', params: {} });
    link(last, 'flat');
    last = 'flat';
  }
  nodes.push(
    { id: 'head', type: 'Dense', params: { units: 2 } },
    { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
  );
  link(last, 'head');
  link('head', 'out');
  return { nodes, edges } as Graph;
}

let tf: typeof tfjs;
beforeAll(async () => {
  const info = await selectBackend('wasm');
  expect(info.id).toBe('wasm');
  tf = info.tf;
});

/**
 * A kind without a hand-written case above trains through its own examples: single-input ones as
 * they are; a multi-input kind (a merge) once per distinct params on two Dense branches, where
 * inspect accepts that graph.
 */
function casesFromExamples(type: string): Case[] {
  const examples = getLayer(type)?.examples ?? [];
  const single = examples
    .filter((e) => e.inputs.length === 1 && !e.inputs[0].includes(-1))
    .map((e): Case => ({ input: e.inputs[0], layer: [type, e.params] }));
  const merged = [
    ...new Set(examples.filter((e) => e.inputs.length > 1).map((e) => JSON.stringify(e.params))),
  ]
    .map((params): Case => ({ input: [6], layer: [type, JSON.parse(params) as P], merge: true }))
    .filter((c) => inspectGraph(graphFor(c)).valid);
  return [...single, ...merged].map((c) => {
    const out = inspectGraph(graphFor(c)).nodes.find((n) => n.id === 'under_test')?.outputShape;
    return { ...c, flatten: (out?.length ?? 2) > 2 };
  });
}

describe('every layer type trains on the WebAssembly backend', () => {
  const all = Object.fromEntries(
    layerTypes()
      .filter((t) => t !== 'Input' && t !== 'Output')
      .map((t) => [t, CASES[t] ?? casesFromExamples(t)]),
  );

  it('has a case for every registered layer type', () => {
    expect(Object.entries(all).filter(([, cases]) => cases.length === 0)).toEqual([]);
  });

  for (const [type, cases] of Object.entries(all)) {
    it(`${type} passes gradients back on wasm`, async () => {
      for (const c of cases) {
        const { model, layerOf } = compileGraph(tf, graphFor(c));
        const watched = layerOf.get(c.integerInput ? 'under_test' : 'pre')!;
        const before = watched.getWeights()[0].dataSync().slice();
        const n = 16;
        const per = c.input.reduce((a, b) => a * b, 1);
        const x = new Float32Array(n * per).map((_, i) =>
          c.integerInput ? (i * 7) % c.integerInput : Math.sin(i * 1.3),
        );
        const y = new Float32Array(n * 2).map((_, i) => Math.cos(i * 0.7));
        const result = await trainLoop({
          tf,
          model,
          loss: 'meanSquaredError',
          train: { x: [{ data: x, shape: [n, ...c.input] }], y: { data: y, shape: [n, 2] } },
          optimizer: { type: 'adam', learningRate: 0.01 },
          epochs: 2,
          batchSize: 8,
          seed: 1,
        });
        expect(result.status, `${c.layer[0]} ${JSON.stringify(c.layer[1])}: ${result.message}`).toBe(
          'complete',
        );
        expect(result.history.every((e) => Number.isFinite(e.loss))).toBe(true);
        const after = watched.getWeights()[0].dataSync();
        const moved = after.some((v, i) => Math.abs(v - before[i]) > 1e-7);
        expect(moved, `${JSON.stringify(c.layer)}: no gradient reached the layer before it`).toBe(true);
        model.dispose();
      }
    });
  }
});
