// The palette's Pretrained blocks (resources/pretrained/, trained by bench/pretrained-blocks.ts): their
// shipped weights are trained ones, and a project that inserts a block (twice, so the second copy
// takes other ids) trains through the real CLI with the block's layers frozen at exactly the shipped
// weights while the new head learns.
import { promises as fs, mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { netwright } from '../cli/run-cli.ts';
import { builtinTensor } from '../../engine/data/builtin/index.ts';
import { DEFECT_CLASSES, generateDefects } from '../../engine/data/builtin/defects.ts';
import type { DataSpec } from '../../engine/data/types.ts';
import { loadLayersModel } from '../../engine/io/tfjs-files.ts';
import { readProjectFile } from '../../engine/project/files.ts';
import type { Project } from '../../engine/project/schema.ts';
import { compileWithStart } from '../../engine/train/trainable-model.ts';
import { listPretrained, pretrainedPath, pretrainedWeights } from '../../engine/weights/pretrained.ts';
import { startWeightsOf } from '../../engine/weights/start-weights.ts';
import { blockInsert } from '../../renderer/src/state/insert-block.ts';

await tf.setBackend('cpu');

/**
 * Accuracy of a shipped block's own project (body + its pretraining head) on the given images,
 * standardised as training standardises them (engine/data/preprocess.ts).
 */
async function ownAccuracy(
  id: string,
  raw: Float32Array,
  shape: number[],
  labels: number[],
): Promise<number> {
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length);
  const x = Float32Array.from(raw, (v) => (v - mean) / std);
  const file = pretrainedPath(id);
  const read = await readProjectFile(file);
  if (!read.ok) throw new Error(`${id} does not load`);
  const { model } = compileWithStart(tf, read.project.graph, 1, await startWeightsOf(read.project, file));
  const picked = tf.tidy(() => (model.predict(tf.tensor(x, shape)) as tf.Tensor).argMax(-1).dataSync());
  model.dispose();
  return labels.filter((l, i) => picked[i] === l).length / labels.length;
}

describe('pretrained blocks', () => {
  it('ship two small blocks, each listing its nodes, edges and the layers that carry weights', async () => {
    const blocks = await listPretrained();
    expect(blocks.map((b) => [b.id, b.label, b.graph.nodes.map((n) => n.type), b.weighted])).toEqual([
      [
        'defect-features',
        'Surface features',
        ['Input', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'GlobalMaxPooling2D'],
        ['surface_conv1', 'surface_conv2', 'surface_conv3'],
      ],
      [
        'digit-features',
        'Digit features',
        ['Input', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten'],
        ['digits_conv1', 'digits_conv2'],
      ],
    ]);
    for (const b of blocks) {
      expect(b.graph.edges).toHaveLength(b.graph.nodes.length - 1);
      expect(b.trainedOn).toMatch(/seed \d+/);
      const bytes = statSync(pretrainedPath(b.id).replace('.netwright.json', '.weights.bin')).size;
      expect(bytes).toBeLessThan(400_000);
    }
  });

  it('hold trained weights: each block with its pretraining head recognises the classes it learned', async () => {
    const mnist = await builtinTensor('mnist', { source: 'builtin:mnist' } as DataSpec, [28, 28, 1], 0);
    const keep = [...mnist.labels.keys()].filter((i) => mnist.labels[i] <= 4).filter((_, j) => j % 10 === 0);
    const x = new Float32Array(keep.length * 784);
    keep.forEach((i, j) => x.set(mnist.x.subarray(i * 784, (i + 1) * 784), j * 784));
    const digits = await ownAccuracy(
      'digit-features',
      x,
      [keep.length, 28, 28, 1],
      keep.map((i) => mnist.labels[i]),
    );
    expect(digits).toBeGreaterThan(0.9);

    // Parts the block never saw (another generator seed), of the three classes it learned.
    const g = generateDefects(60, 32, 32, 1, 4242);
    const crack = DEFECT_CLASSES.indexOf('crack');
    const known = DEFECT_CLASSES.filter((c) => c !== 'crack');
    const idx = [...g.labels.keys()].filter((i) => g.labels[i] !== crack);
    const dx = new Float32Array(idx.length * 1024);
    idx.forEach((i, j) => dx.set(g.x.subarray(i * 1024, (i + 1) * 1024), j * 1024));
    const surface = await ownAccuracy(
      'defect-features',
      dx,
      [idx.length, 32, 32, 1],
      idx.map((i) => known.indexOf(DEFECT_CLASSES[g.labels[i]] as (typeof known)[number])),
    );
    expect(surface).toBeGreaterThan(0.8);
  });

  it('inserted twice into a project, train with the block frozen at the shipped weights; the head learns', async () => {
    const block = (await listPretrained()).find((b) => b.id === 'defect-features')!;
    const first = blockInsert(block, [], [], { x: 0, y: 0 });
    const second = blockInsert(
      block,
      first.nodes.map((n) => n.id),
      first.edges.map((e) => e.id),
      { x: 300, y: 0 },
    );
    expect(second.startFrom.from).toEqual({
      surface_conv1_2: 'surface_conv1',
      surface_conv2_2: 'surface_conv2',
      surface_conv3_2: 'surface_conv3',
    });
    expect(second.nodes.filter((n) => n.trainable === false).map((n) => n.id)).toEqual([
      'surface_conv1_2',
      'surface_conv2_2',
      'surface_conv3_2',
    ]);
    // The second copy reads the first copy's Input, so both feed one head.
    const nodes = [...first.nodes, ...second.nodes.filter((n) => n.type !== 'Input')];
    const edges = [
      ...first.edges,
      ...second.edges.map((e) => (e.source === 'surface_in_2' ? { ...e, source: 'surface_in' } : e)),
      { id: 'j1', source: 'surface_gap', target: 'join' },
      { id: 'j2', source: 'surface_gap_2', target: 'join', targetPort: 1 },
      { id: 'h', source: 'join', target: 'head' },
      { id: 'o', source: 'head', target: 'out' },
    ];
    const project = {
      format: 'netwright',
      version: 1,
      name: 'two blocks',
      graph: {
        nodes: [
          ...nodes,
          { id: 'join', type: 'Concatenate', params: {} },
          { id: 'head', type: 'Dense', params: { units: 4, activation: 'softmax' } },
          { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
        ],
        edges,
      },
      data: { source: 'builtin:defects', samples: 48, testSplit: 0.25 },
      training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 2, batchSize: 8, seed: 3 },
      startFrom: [first.startFrom, second.startFrom],
    } as unknown as Project;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-pretrained-'));
    const file = path.join(dir, 'tuned.netwright.json');
    await fs.writeFile(file, JSON.stringify(project));
    const r = await netwright('train', file, '--out', path.join(dir, 'run'));
    expect(r.code, r.stderr).toBe(0);

    const model = await loadLayersModel(tf, path.join(dir, 'run', 'model'));
    const trained = new Map(model.weights.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
    model.dispose();
    const shipped = await pretrainedWeights('defect-features');
    for (const suffix of ['', '_2'])
      for (const layer of ['surface_conv1', 'surface_conv2', 'surface_conv3'])
        for (const w of ['kernel', 'bias'])
          expect(trained.get(`${layer}${suffix}/${w}`), `${layer}${suffix}/${w}`).toEqual(
            Array.from(shipped.get(`${layer}/${w}`)!.data),
          );
    const seeded = compileWithStart(tf, project.graph, 3, null);
    const headBefore = Array.from(seeded.model.getLayer('head').getWeights()[0].dataSync());
    seeded.model.dispose();
    expect(trained.get('head/kernel')).not.toEqual(headBefore);
  }, 240_000);
});
