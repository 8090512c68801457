// The three benchmark workloads of `npm run bench` as Netwright project graphs (the same shapes as
// bench/torch_bench.py): batch 64, Adam, 2,048 random samples, 1 warm-up + 2 timed epochs.
import type { Graph } from '../engine/project/schema.ts';

export const SAMPLES = 2048;
export const BATCH = 64;
export const TIMED_EPOCHS = 2;
export const CLASSES = 10;

export interface Workload {
  id: 'mlp' | 'cnn' | 'lstm';
  label: string;
  inputShape: number[];
  graph: Graph;
}

type N = [string, string, Record<string, unknown>];

function chain(nodes: N[]): Graph {
  return {
    nodes: nodes.map(([id, type, params]) => ({ id, type, params })),
    edges: nodes.slice(1).map(([id], i) => ({ id: `e${i}`, source: nodes[i][0], target: id })),
  } as Graph;
}

const out: N[] = [
  ['head', 'Dense', { units: CLASSES, activation: 'softmax' }],
  ['out', 'Output', { loss: 'categoricalCrossentropy' }],
];

export const WORKLOADS: Workload[] = [
  {
    id: 'mlp',
    label: 'MLP 784→128 relu→10 softmax',
    inputShape: [784],
    graph: chain([
      ['in', 'Input', { shape: [784] }],
      ['hidden', 'Dense', { units: 128, activation: 'relu' }],
      ...out,
    ]),
  },
  {
    id: 'cnn',
    label: 'CNN 28×28×1 → Conv2D 16 3×3 relu → MaxPool 2 → Flatten → Dense 10',
    inputShape: [28, 28, 1],
    graph: chain([
      ['in', 'Input', { shape: [28, 28, 1] }],
      ['conv', 'Conv2D', { filters: 16, kernelSize: 3, activation: 'relu' }],
      ['pool', 'MaxPooling2D', { poolSize: 2 }],
      ['flat', 'Flatten', {}],
      ...out,
    ]),
  },
  {
    id: 'lstm',
    label: 'LSTM 32 on [20, 8] → Dense 10',
    inputShape: [20, 8],
    graph: chain([['in', 'Input', { shape: [20, 8] }], ['lstm', 'LSTM', { units: 32 }], ...out]),
  },
];
