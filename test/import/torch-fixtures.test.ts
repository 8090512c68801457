// Models written by PyTorch (torch.onnx.export in Debian's python3-torch, fixtures/make-fixtures.py)
// import through the real CLI as editable graphs with their weights, keep their layer names, train
// from those weights, and export again with parity in onnxruntime-node.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { netwright } from '../cli/run-cli.ts';
import { writeProjectFile } from '../../engine/project/files.ts';
import { readProjectWeights } from '../../engine/weights/weights-file.ts';
import { compileForTraining } from '../../engine/train/trainable-model.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import { buildOnnxModel } from '../../engine/onnx/build-model.ts';
import { layerWeights } from '../../engine/export/tfjs-weights.ts';
import { parityInputs } from '../../engine/export/parity-inputs.ts';
import { checkParity } from '../../engine/export/parity.ts';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { gaussian, mulberry32 } from '../../engine/random.ts';
import type { Project } from '../../engine/project/schema.ts';
import { importWithCli, type CliImport } from './helpers.ts';

await tf.setBackend('cpu');

const summary = (p: Project) => p.graph.nodes.map((n) => [n.id, n.type, n.label ?? null, n.params]);

/** Trains the imported project a few epochs on seeded data, then exports it and checks parity. */
async function fineTuneAndExport(imported: CliImport, loss: 'categoricalCrossentropy' | 'meanSquaredError') {
  const { project, dir } = imported;
  const weights = (await readProjectWeights(project, dir))!;
  const { model } = compileForTraining(tf, project.graph, 1, { weights, source: project.weights!.file });
  const inspection = inspectGraph(project.graph);
  const inputShape = inspection.nodes.find((n) => n.type === 'Input')!.outputShape!.slice(1) as number[];
  const outputs = model.outputs[0].shape[1] as number;
  const n = 32;
  const rng = mulberry32(9);
  const x = Float32Array.from({ length: n * inputShape.reduce((a, b) => a * b, 1) }, () => gaussian(rng));
  const y = new Float32Array(n * outputs);
  for (let i = 0; i < n; i++) {
    if (loss === 'categoricalCrossentropy') y[i * outputs + (i % outputs)] = 1;
    else y[i] = gaussian(rng);
  }
  const before = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const r = await trainLoop({
    tf,
    model,
    loss,
    train: { x: [{ data: x, shape: [n, ...inputShape] }], y: { data: y, shape: [n, outputs] } },
    optimizer: { type: 'adam', learningRate: 0.01 },
    epochs: 3,
    batchSize: 8,
    seed: 1,
    dataParallel: false,
  });
  expect(r.status).toBe('complete');
  const changed = model.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== before[i][j]));
  expect(changed, 'training changed the imported weights').toBe(true);
  const built = buildOnnxModel({
    inspection,
    weightsOf: (id) => layerWeights(model, id),
    opset: 13,
    name: project.name,
    producerVersion: 'test',
  });
  const parity = await checkParity({
    tf,
    model,
    onnxBytes: built.bytes,
    inputs: parityInputs(inspection),
    outputs: built.outputs.map((o) => o.name),
  });
  model.dispose();
  return parity;
}

describe('PyTorch models import as editable graphs with their weights', () => {
  it('an MLP (Gemm + activations): Dense layers with the activations folded in, torch names as labels', async () => {
    const imported = await importWithCli('torch-mlp.onnx');
    expect(imported.run.stdout).toMatch(/max abs diff .* — passed/);
    expect(summary(imported.project)).toEqual([
      ['x', 'Input', null, { shape: [4] }],
      ['fc1', 'Dense', '/fc1/Gemm', { units: 16, activation: 'relu', useBias: true }],
      ['fc2', 'Dense', '/fc2/Gemm', { units: 8, activation: 'tanh', useBias: true }],
      ['head', 'Dense', '/head/Gemm', { units: 3, activation: 'softmax', useBias: true }],
      ['y', 'Output', null, { loss: 'categoricalCrossentropy' }],
    ]);
    // Laid out top to bottom by elk: each layer below the one feeding it.
    const ys = imported.project.graph.nodes.map((n) => n.position!.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(ys.length);
    const weights = await fs.readFile(path.join(imported.dir, imported.project.weights!.file));
    expect(weights.byteLength).toBe(4 * (4 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3));
  });

  it('a CNN with BatchNorm: NCHW converted once to an NHWC graph, then fine-tuned and re-exported with parity', async () => {
    const imported = await importWithCli('torch-cnn-bn.onnx');
    expect(summary(imported.project).map(([id, type]) => `${id}:${type}`)).toEqual([
      'x:Input',
      'conv1:Conv2D',
      'bn1:BatchNormalization',
      'pool:MaxPooling2D',
      'conv2:Conv2D',
      'flatten:Flatten',
      'head:Dense',
      'y:Output',
    ]);
    const byId = new Map(imported.project.graph.nodes.map((n) => [n.id, n]));
    expect(byId.get('x')!.params).toEqual({ shape: [12, 12, 1] });
    expect(byId.get('conv2')!.params).toMatchObject({ padding: 'same', activation: 'relu', filters: 6 });
    expect(byId.get('bn1')!.params).toEqual({ epsilon: 1e-5, momentum: 0.9 });
    const parity = await fineTuneAndExport(imported, 'categoricalCrossentropy');
    expect(parity.passed).toBe(true);
    expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
  });

  it('an LSTM read through torch’s batch-first transposes and its last hidden state', async () => {
    const imported = await importWithCli('torch-lstm.onnx');
    expect(summary(imported.project)).toEqual([
      ['x', 'Input', null, { shape: [10, 3] }],
      ['lstm', 'LSTM', '/lstm/LSTM', { units: 8, returnSequences: false, activation: 'tanh' }],
      ['head', 'Dense', '/head/Gemm', { units: 1, activation: 'linear', useBias: true }],
      ['y', 'Output', null, { loss: 'meanSquaredError' }],
    ]);
    const parity = await fineTuneAndExport(imported, 'meanSquaredError');
    expect(parity.passed).toBe(true);
    expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
  });

  it('an MLP with LeakyReLU(0.1): a LeakyReLU node with its slope, fine-tuned and re-exported with parity', async () => {
    const imported = await importWithCli('torch-leaky-mlp.onnx');
    expect(imported.run.stdout).toMatch(/max abs diff .* — passed/);
    expect(summary(imported.project)).toEqual([
      ['x', 'Input', null, { shape: [5] }],
      ['fc1', 'Dense', '/fc1/Gemm', { units: 12, activation: 'linear', useBias: true }],
      ['act1', 'LeakyReLU', '/act1/LeakyRelu', { alpha: 0.1 }],
      ['fc2', 'Dense', '/fc2/Gemm', { units: 2, activation: 'linear', useBias: true }],
      ['y', 'Output', null, { loss: 'meanSquaredError' }],
    ]);
    const parity = await fineTuneAndExport(imported, 'meanSquaredError');
    expect(parity.passed).toBe(true);
    expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
  });

  it('a decoder (ConvTranspose, nearest Resize, a cropping Slice): Conv2DTranspose, UpSampling2D, Cropping2D, fine-tuned and re-exported with parity', async () => {
    const imported = await importWithCli('torch-decoder.onnx');
    expect(imported.run.stdout).toMatch(/max abs diff .* — passed/);
    expect(summary(imported.project).map(([id, type, , params]) => [id, type, params])).toEqual([
      ['x', 'Input', { shape: [5, 5, 3] }],
      [
        'deconv',
        'Conv2DTranspose',
        { filters: 4, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', useBias: true },
      ],
      ['up', 'UpSampling2D', { size: 2, interpolation: 'nearest' }],
      [
        'conv',
        'Conv2D',
        {
          filters: 2,
          kernelSize: 3,
          strides: 1,
          padding: 'valid',
          dilationRate: 1,
          activation: 'linear',
          useBias: true,
        },
      ],
      ['Slice', 'Cropping2D', { cropping: [1, 0] }],
      ['Slice_1', 'Cropping2D', { cropping: [0, 2] }],
      ['flatten', 'Flatten', {}],
      ['head', 'Dense', { units: 3, activation: 'linear', useBias: true }],
      ['y', 'Output', { loss: 'meanSquaredError' }],
    ]);
    const parity = await fineTuneAndExport(imported, 'meanSquaredError');
    expect(parity.passed).toBe(true);
    expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
  });

  it('a Pad with constant zero pads on an NCHW input: ZeroPadding2D before the Conv2D', async () => {
    const imported = await importWithCli('helper-pad.onnx');
    expect(imported.run.stdout).toMatch(/max abs diff .* — passed/);
    expect(summary(imported.project).map(([id, type, , params]) => [id, type, params])).toEqual([
      ['image', 'Input', { shape: [4, 5, 2] }],
      ['pad', 'ZeroPadding2D', { padding: [1, 2] }],
      ['conv', 'Conv2D', expect.objectContaining({ filters: 3, kernelSize: 3, padding: 'valid' })],
      ['pool', 'GlobalAveragePooling2D', {}],
      ['features', 'Output', { loss: 'meanSquaredError' }],
    ]);
  });

  it('the imported MLP trains on iris with its first layer frozen, and the run exports with parity (real CLI)', async () => {
    const imported = await importWithCli('torch-mlp.onnx');
    const project: Project = {
      ...imported.project,
      graph: {
        ...imported.project.graph,
        nodes: imported.project.graph.nodes.map((n) => (n.id === 'fc1' ? { ...n, trainable: false } : n)),
      },
      data: { source: 'builtin:iris', target: 'species' },
    };
    await writeProjectFile(imported.projectPath, project);
    const inspect = await netwright('inspect', imported.projectPath);
    expect(inspect.stdout).toContain('Total parameters: 243 (163 trainable, 80 frozen)');
    const runDir = path.join(imported.dir, 'run');
    const train = await netwright('train', imported.projectPath, '--out', runDir, '--epochs', '3');
    expect(train.code, train.stderr).toBe(0);
    const manifest = JSON.parse(await fs.readFile(path.join(runDir, 'model', 'model.json'), 'utf8')) as {
      weightsManifest: { weights: { name: string; shape: number[] }[] }[];
    };
    const trained = await fs.readFile(path.join(runDir, 'model', 'weights.bin'));
    const floats = new Float32Array(
      trained.buffer.slice(trained.byteOffset, trained.byteOffset + trained.byteLength),
    );
    const start = (await readProjectWeights(project, imported.dir))!;
    let at = 0;
    for (const spec of manifest.weightsManifest[0].weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const got = floats.subarray(at, at + size);
      at += size;
      const initial = start.get(spec.name)!.data;
      if (spec.name.startsWith('fc1/')) expect(got, spec.name).toEqual(initial);
      else expect(got, spec.name).not.toEqual(initial);
    }
    const exported = await netwright('export', runDir);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/— passed/);
  }, 240_000);
});
