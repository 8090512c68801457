// The workloads of `npm run bench` as Netwright project graphs (the same models and shapes as
// bench/torch_bench.py): the three original small ones, and models a user builds on day one.
// Each trains with Adam on SAMPLES random samples: warm-up epochs of at least WARMUP_STEPS steps, then
// its own count of timed epochs (Workload.timedEpochs).
import type { Graph } from '../engine/project/schema.ts';
import { dag } from '../test/engine/graph-helpers.ts';

export const SAMPLES = 2048;
/** Steps trained before the timed epochs. V8 compiles tfjs' JavaScript in the background for the
 *  first ~200 steps of a run, in a new data-parallel replica's isolate too, so one epoch of 32
 *  steps timed the compiler (bench/KERNEL-MEASUREMENTS.md). The first epoch's
 *  own rate is reported beside the timed one. */
export const WARMUP_STEPS = 192;

/** Whole warm-up epochs of `samples` at `batch` covering at least `steps` steps (at least one). */
export function warmupEpochs(samples: number, batch: number, steps = WARMUP_STEPS): number {
  return Math.max(1, Math.ceil(steps / Math.ceil(samples / batch)));
}
export const CLASSES = 10;

export type WorkloadId = 'mlp' | 'cnn' | 'lstm' | 'convnet' | 'resnet' | 'gru' | 'conv1d' | 'mlp3';

export interface Workload {
  id: WorkloadId;
  label: string;
  inputShape: number[];
  batch: number;
  graph: Graph;
  /** Multiply-adds of one sample's forward pass, counted from the layers (a training step is ~3×). */
  forwardMacs: number;
  /** Timed epochs of SAMPLES per round: about a second or more of training on either side here, so
   *  a pause of a few milliseconds on this shared machine is a small part of a round's figure (two
   *  epochs of the Conv1D classifier are ~0.2 s), and a long run's occasional one-thread probe
   *  (engine/train/parallel/data-parallel.ts ModeChooser) weighs in the timed steps as in a long run. */
  timedEpochs: number;
  /** The workload's largest matrix product [m, k, n] at its batch (a convolution as its im2col product). */
  matmul: [number, number, number];
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

/** Conv–BatchNorm–ReLU twice, then the block's input added back (the skip). */
function residualBlock(
  p: string,
  input: string,
  filters: number,
): { nodes: N[]; edges: [string, string, number?][] } {
  const conv = (id: string): N => [id, 'Conv2D', { filters, kernelSize: 3, padding: 'same', useBias: false }];
  return {
    nodes: [
      conv(`${p}c1`),
      [`${p}bn1`, 'BatchNormalization', {}],
      [`${p}r1`, 'Activation', { activation: 'relu' }],
      conv(`${p}c2`),
      [`${p}bn2`, 'BatchNormalization', {}],
      [`${p}r2`, 'Activation', { activation: 'relu' }],
      [`${p}add`, 'Add', {}],
    ],
    edges: [
      [input, `${p}c1`],
      [`${p}c1`, `${p}bn1`],
      [`${p}bn1`, `${p}r1`],
      [`${p}r1`, `${p}c2`],
      [`${p}c2`, `${p}bn2`],
      [`${p}bn2`, `${p}r2`],
      [`${p}r2`, `${p}add`, 0],
      [input, `${p}add`, 1],
    ],
  };
}

function resnet(): Graph {
  const b1 = residualBlock('a', 'stemr', 16);
  const b2 = residualBlock('b', 'pool', 16);
  return dag(
    [
      ['in', 'Input', { shape: [32, 32, 3] }],
      ['stem', 'Conv2D', { filters: 16, kernelSize: 3, padding: 'same', useBias: false }],
      ['stembn', 'BatchNormalization', {}],
      ['stemr', 'Activation', { activation: 'relu' }],
      ...b1.nodes,
      ['pool', 'MaxPooling2D', { poolSize: 2 }],
      ...b2.nodes,
      ['gap', 'GlobalAveragePooling2D', {}],
      ...out,
    ],
    [
      ['in', 'stem'],
      ['stem', 'stembn'],
      ['stembn', 'stemr'],
      ...b1.edges,
      ['aadd', 'pool'],
      ...b2.edges,
      ['badd', 'gap'],
      ['gap', 'head'],
      ['head', 'out'],
    ],
  );
}

export const WORKLOADS: Workload[] = [
  {
    id: 'mlp',
    label: 'MLP 784→128 relu→10 softmax',
    inputShape: [784],
    batch: 64,
    forwardMacs: 784 * 128 + 128 * 10,
    timedEpochs: 24,
    matmul: [64, 784, 128],
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
    batch: 64,
    forwardMacs: 26 * 26 * 16 * 9 + 2704 * 10,
    timedEpochs: 6,
    matmul: [64 * 26 * 26, 9, 16],
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
    batch: 64,
    forwardMacs: 20 * 4 * 32 * (8 + 32) + 32 * 10,
    timedEpochs: 10,
    matmul: [64, 40, 128],
    graph: chain([['in', 'Input', { shape: [20, 8] }], ['lstm', 'LSTM', { units: 32 }], ...out]),
  },
  {
    id: 'convnet',
    label:
      'Two-block convnet 28×28×1: Conv2D 32 → MaxPool → Conv2D 64 → MaxPool → Flatten → Dropout → Dense 10, batch 128',
    inputShape: [28, 28, 1],
    batch: 128,
    forwardMacs: 26 * 26 * 32 * 9 + 11 * 11 * 64 * 288 + 1600 * 10,
    timedEpochs: 2,
    matmul: [128 * 11 * 11, 288, 64],
    graph: chain([
      ['in', 'Input', { shape: [28, 28, 1] }],
      ['conv1', 'Conv2D', { filters: 32, kernelSize: 3, activation: 'relu' }],
      ['pool1', 'MaxPooling2D', { poolSize: 2 }],
      ['conv2', 'Conv2D', { filters: 64, kernelSize: 3, activation: 'relu' }],
      ['pool2', 'MaxPooling2D', { poolSize: 2 }],
      ['flat', 'Flatten', {}],
      ['drop', 'Dropout', { rate: 0.5 }],
      ...out,
    ]),
  },
  {
    id: 'resnet',
    label:
      'Residual CNN 32×32×3: Conv–BN–ReLU stem, 2 blocks of (Conv–BN–ReLU ×2 + skip Add) at 16 channels, MaxPool between, GAP → Dense 10',
    inputShape: [32, 32, 3],
    batch: 64,
    forwardMacs: 32 * 32 * 16 * 27 + 2 * 32 * 32 * 16 * 144 + 2 * 16 * 16 * 16 * 144 + 16 * 10,
    timedEpochs: 2,
    matmul: [64 * 32 * 32, 144, 16],
    graph: resnet(),
  },
  {
    id: 'gru',
    label: 'GRU 64 on [50, 16] → Dense 10',
    inputShape: [50, 16],
    batch: 64,
    forwardMacs: 50 * 3 * 64 * (16 + 64) + 64 * 10,
    timedEpochs: 4,
    matmul: [64, 80, 192],
    graph: chain([['in', 'Input', { shape: [50, 16] }], ['gru', 'GRU', { units: 64 }], ...out]),
  },
  {
    id: 'conv1d',
    label:
      'Conv1D signal classifier [256, 1]: Conv1D 16 k9 → MaxPool 4 → Conv1D 32 k9 → MaxPool 4 → Conv1D 32 k5 → GAP → Dense 10',
    inputShape: [256, 1],
    batch: 64,
    forwardMacs: 248 * 16 * 9 + 54 * 32 * 144 + 9 * 32 * 160 + 32 * 10,
    timedEpochs: 10,
    matmul: [64 * 54, 144, 32],
    graph: chain([
      ['in', 'Input', { shape: [256, 1] }],
      ['conv1', 'Conv1D', { filters: 16, kernelSize: 9, activation: 'relu' }],
      ['pool1', 'MaxPooling1D', { poolSize: 4 }],
      ['conv2', 'Conv1D', { filters: 32, kernelSize: 9, activation: 'relu' }],
      ['pool2', 'MaxPooling1D', { poolSize: 4 }],
      ['conv3', 'Conv1D', { filters: 32, kernelSize: 5, activation: 'relu' }],
      ['gap', 'GlobalAveragePooling1D', {}],
      ...out,
    ]),
  },
  {
    id: 'mlp3',
    label: 'MLP 784→256 relu→256 relu→10 softmax, batch 256',
    inputShape: [784],
    batch: 256,
    forwardMacs: 784 * 256 + 256 * 256 + 256 * 10,
    timedEpochs: 16,
    matmul: [256, 784, 256],
    graph: chain([
      ['in', 'Input', { shape: [784] }],
      ['h1', 'Dense', { units: 256, activation: 'relu' }],
      ['h2', 'Dense', { units: 256, activation: 'relu' }],
      ...out,
    ]),
  },
];
