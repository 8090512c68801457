// tfjs layers models (model.json + weights) import as editable graphs: a Netwright export comes back
// as the same graph with bit-identical weights; a model whose layer settings Netwright's layers don't
// have is refused naming the layer and the setting.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { netwright, ROOT } from '../cli/run-cli.ts';
import { layerWeights } from '../../engine/export/tfjs-weights.ts';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { loadLayersModel, saveLayersModel } from '../../engine/io/tfjs-files.ts';
import { readProjectFile } from '../../engine/project/files.ts';
import type { Project } from '../../engine/project/schema.ts';
import { readProjectWeights } from '../../engine/weights/weights-file.ts';
import { weightName } from '../../engine/weights/named-weights.ts';
import { freshDir } from './helpers.ts';

await tf.setBackend('cpu');

/** `file` exported with --tfjs into `dir` and imported back as `outName` there. */
async function throughTfjs(dir: string, file: string, outName: string) {
  const exported = await netwright('export', file, '--tfjs', path.join(dir, 'tfjs'), '--seed', '5');
  expect(exported.code, exported.stderr).toBe(0);
  const out = path.join(dir, outName);
  const r = await netwright('import', path.join(dir, 'tfjs', 'model.json'), '--out', out);
  expect(r.code, r.stderr).toBe(0);
  const read = await readProjectFile(out);
  if (!read.ok) throw new Error('the imported project does not load');
  return { read, stdout: r.stdout };
}

/** A straight chain of [id, type, params] nodes as a project graph. */
function chainGraph(chain: [string, string, Record<string, unknown>][]): Project['graph'] {
  return {
    nodes: chain.map(([id, type, params]) => ({ id, type, params })),
    edges: chain.slice(1).map(([id], i) => ({ id: `e${i}`, source: chain[i][0], target: id })),
  } as Project['graph'];
}

describe('netwright import of a tfjs layers model.json', () => {
  it.each(['mnist-cnn', 'sp500-lstm', 'iris-two-inputs', 'sp500-transformer'])(
    '%s exported with --tfjs comes back with the same layers and weights',
    async (name) => {
      const dir = freshDir();
      const file = path.join(ROOT, 'resources/examples', `${name}.netwright.json`);
      const original = JSON.parse(await fs.readFile(file, 'utf8')) as Project;
      const { read, stdout } = await throughTfjs(dir, file, `${name}.netwright.json`);
      expect(stdout).toMatch(/as tfjs loads it on 4 seeded samples: max abs diff 0\.00e\+0 .* — passed/);
      const layers = (p: Project) =>
        inspectGraph(p.graph)
          .nodes.filter((n) => n.type !== 'Output')
          .map((n) => [n.id, n.type, n.params, n.inputs])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(layers(read.project)).toEqual(layers(original));

      const weights = (await readProjectWeights(read.project, dir))!;
      const source = await loadLayersModel(tf, path.join(dir, 'tfjs'));
      let compared = 0;
      for (const layer of source.layers)
        for (const [short, w] of layerWeights(source, layer.name)) {
          expect(weights.get(weightName(layer.name, short))?.data, `${layer.name}/${short}`).toEqual(w.data);
          compared++;
        }
      expect(compared).toBe(source.weights.length);
      expect(weights.size).toBe(source.weights.length);
      source.dispose();
    },
    180_000,
  );

  it('a Bidirectional GRU and a TimeDistributed Dense exported with --tfjs come back with the same settings and weights', async () => {
    const dir = freshDir();
    const project = JSON.parse(
      await fs.readFile(path.join(ROOT, 'resources/examples/sp500-lstm.netwright.json'), 'utf8'),
    ) as Project;
    const chain: [string, string, Record<string, unknown>][] = [
      ['in', 'Input', { shape: [30, 1] }],
      ['td', 'TimeDistributed', { units: 3, activation: 'tanh' }],
      ['bi', 'Bidirectional', { layer: 'GRU', units: 2, returnSequences: true, mergeMode: 'ave' }],
      ['bi2', 'Bidirectional', { layer: 'LSTM', units: 2, mergeMode: 'concat' }],
      ['next', 'Dense', { units: 1 }],
      ['out', 'Output', { loss: 'meanSquaredError' }],
    ];
    project.graph = chainGraph(chain);
    const file = path.join(dir, 'wrappers.netwright.json');
    await fs.writeFile(file, JSON.stringify(project));
    const { read, stdout } = await throughTfjs(dir, file, 'back.netwright.json');
    expect(stdout).toMatch(/max abs diff 0\.00e\+0 .* — passed/);
    const params = (p: Project, id: string) => inspectGraph(p.graph).nodes.find((n) => n.id === id)?.params;
    for (const id of ['td', 'bi', 'bi2']) expect(params(read.project, id), id).toEqual(params(project, id));
    const weights = (await readProjectWeights(read.project, dir))!;
    expect([...weights.keys()].filter((k) => k.startsWith('bi/')).sort()).toEqual(
      ['backward_rnn/bias', 'backward_rnn/kernel', 'backward_rnn/recurrent_kernel']
        .concat(['forward_rnn/bias', 'forward_rnn/kernel', 'forward_rnn/recurrent_kernel'])
        .map((w) => `bi/${w}`),
    );
  }, 180_000);

  it('the convolution variants and upsampling exported with --tfjs come back with the same settings and weights', async () => {
    const dir = freshDir();
    const project = JSON.parse(
      await fs.readFile(path.join(ROOT, 'resources/examples/mnist-cnn.netwright.json'), 'utf8'),
    ) as Project;
    const chain: [string, string, Record<string, unknown>][] = [
      ['in', 'Input', { shape: [6, 5, 2] }],
      [
        'dw',
        'DepthwiseConv2D',
        { kernelSize: [3, 2], padding: 'same', depthMultiplier: 2, activation: 'relu' },
      ],
      ['sep', 'SeparableConv2D', { filters: 3, kernelSize: 2, strides: 2, useBias: false }],
      ['up', 'UpSampling2D', { size: [2, 3], interpolation: 'bilinear' }],
      ['deconv', 'Conv2DTranspose', { filters: 2, kernelSize: 3, strides: 2, padding: 'same' }],
      ['seq', 'Reshape', { targetShape: [144, 2] }],
      ['up1', 'UpSampling1D', { size: 2 }],
      ['flat', 'Flatten', {}],
      ['head', 'Dense', { units: 2 }],
      ['out', 'Output', { loss: 'meanSquaredError' }],
    ];
    project.graph = chainGraph(chain);
    const file = path.join(dir, 'convs.netwright.json');
    await fs.writeFile(file, JSON.stringify(project));
    const { read, stdout } = await throughTfjs(dir, file, 'back.netwright.json');
    expect(stdout).toMatch(/max abs diff 0\.00e\+0 .* — passed/);
    // Every layer as it was (the Output node is named after the model output it marks).
    const summary = (p: Project) =>
      inspectGraph(p.graph)
        .nodes.filter((n) => n.type !== 'Output')
        .map((n) => [n.id, n.type, n.params]);
    expect(summary(read.project)).toEqual(summary(project));
  }, 180_000);

  it('refuses an LSTM with tfjs’ default hard-sigmoid gates, naming the layer and the setting', async () => {
    const dir = freshDir();
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({ inputShape: [5, 2], units: 3, name: 'memory' }),
        tf.layers.dense({ units: 1, name: 'head' }),
      ],
    });
    await saveLayersModel(tf, model, path.join(dir, 'keras'));
    model.dispose();
    const r = await netwright(
      'import',
      path.join(dir, 'keras', 'model.json'),
      '--out',
      path.join(dir, 'p.netwright.json'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'LSTM node "memory": its recurrentActivation is "hard_sigmoid"; Netwright\'s LSTM has "sigmoid".',
    );
    expect(await fs.readdir(dir)).toEqual(['keras']);
  });

  it('refuses a dilated DepthwiseConv2D, which Netwright’s layer does not dilate', async () => {
    const dir = freshDir();
    const model = tf.sequential({
      layers: [
        tf.layers.depthwiseConv2d({ inputShape: [8, 8, 2], kernelSize: 3, dilationRate: 2, name: 'spread' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 1, name: 'head' }),
      ],
    });
    await saveLayersModel(tf, model, path.join(dir, 'keras'));
    model.dispose();
    const out = path.join(dir, 'p.netwright.json');
    const r = await netwright('import', path.join(dir, 'keras', 'model.json'), '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DepthwiseConv2D node "spread": its dilationRate is [2,2]');
    expect(await fs.readdir(dir)).toEqual(['keras']);
  });
});
