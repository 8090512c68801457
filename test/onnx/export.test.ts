// The export flow end to end: every example project, `netwright export` on a project and on a run
// folder (real processes, real files), the pre-flight report, seeded determinism, and a parity check
// that does catch a wrong model.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as ort from 'onnxruntime-node';
import { tf, randomizeWeights, onnxCheckerErrors } from './harness.ts';
import { netwright, type CliRun } from '../cli/run-cli.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { listExamples, loadExample } from '../../engine/examples.ts';
import { exportModel } from '../../engine/export/export-model.ts';
import { checkParity } from '../../engine/export/parity.ts';
import { parityInputs } from '../../engine/export/parity-inputs.ts';
import { layerWeights } from '../../engine/export/tfjs-weights.ts';
import { buildOnnxModel } from '../../engine/onnx/build-model.ts';
import { onnx } from '../../engine/onnx/proto.ts';
import { saveLayersModel, loadLayersModel } from '../../engine/io/tfjs-files.ts';
import { EngineError } from '../../engine/api.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import type { Project } from '../../engine/project/schema.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-export-test-'));

const cli = (...args: string[]): Promise<CliRun> => netwright('export', ...args, '--backend', 'js');

async function onnxPredict(
  file: string,
  input: string,
  data: Float32Array,
  dims: number[],
): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(file);
  const out = await session.run({ [input]: new ort.Tensor('float32', data, dims) });
  const result = out[session.outputNames[0]].data as Float32Array;
  await session.release();
  return result;
}

describe('every example project', async () => {
  const examples = await listExamples();
  it.each(examples.map((e) => [e.id]))('%s exports with parity and passes the checker', async (id) => {
    const project = await loadExample(id);
    const file = path.join(dir, `example-${id}.onnx`);
    const outcome = await exportModel(tf, { project, onnxPath: file, seed: 5 });
    expect(outcome.parity!.passed).toBe(true);
    expect(outcome.parity!.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(existsSync(file)).toBe(true);
    expect(onnxCheckerErrors([file])).toEqual({});
  });
});

describe('netwright export', () => {
  it('exports a never-trained project to ONNX and tfjs, printing the parity figures', async () => {
    const onnxFile = path.join(dir, 'iris.onnx');
    const tfjsDir = path.join(dir, 'iris-tfjs');
    const r = await cli(
      'resources/examples/iris-mlp.netwright.json',
      '--onnx',
      onnxFile,
      '--tfjs',
      tfjsDir,
      '--seed',
      '3',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/initialised from seed 3/);
    expect(r.stdout).toMatch(/max abs diff [\d.e+-]+, max rel diff [\d.e+-]+ .* passed/);
    // The ONNX file and the tfjs export hold the same seeded model.
    const x = Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]);
    const fromOnnx = await onnxPredict(onnxFile, 'in', x, [2, 4]);
    const model = await loadLayersModel(tf, tfjsDir);
    const fromTfjs = (model.predict(tf.tensor(x, [2, 4])) as tf.Tensor).dataSync();
    fromOnnx.forEach((v, i) => expect(Math.abs(v - fromTfjs[i])).toBeLessThan(1e-5));
    const m = onnx.ModelProto.decode(readFileSync(onnxFile));
    expect(m.producerName).toBe('Netwright');
    expect(Number(m.opsetImport[0].version)).toBe(17);
    expect(m.graph!.name).toBe('Iris MLP');
  });

  it('exports a trained run folder with its trained weights', async () => {
    const runDir = path.join(dir, 'run');
    const project = await loadExample('iris-mlp');
    const compiled = compileGraph(tf, project.graph);
    randomizeWeights(compiled.model, 99); // "trained": anything but the seeded initialisation
    await saveLayersModel(tf, compiled.model, path.join(runDir, 'model'));
    writeFileSync(path.join(runDir, 'project.netwright.json'), JSON.stringify(project));
    const r = await cli(runDir, '--opset', '13');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Weights: trained/);
    const x = Float32Array.from([5.9, 3.0, 5.1, 1.8]);
    const expected = (compiled.model.predict(tf.tensor(x, [1, 4])) as tf.Tensor).dataSync();
    const got = await onnxPredict(path.join(runDir, 'model.onnx'), 'in', x, [1, 4]);
    got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    expect(onnxCheckerErrors([path.join(runDir, 'model.onnx')])).toEqual({});
  });

  it('checks a run made by `netwright train` on real test samples of its dataset too', async () => {
    const runDir = path.join(dir, 'trained');
    const train = await netwright(
      'train',
      'resources/examples/iris-mlp.netwright.json',
      '--out',
      runDir,
      '--epochs',
      '1',
      '--backend',
      'js',
    );
    expect(train.code, train.stderr).toBe(0);
    const r = await cli(
      runDir,
      '--tfjs',
      path.join(dir, 'trained-tfjs'),
      '--onnx',
      path.join(dir, 'trained.onnx'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/8 seeded samples and \d+ test samples of builtin:iris: max abs diff/);
    expect(existsSync(path.join(dir, 'trained-tfjs', 'model.json'))).toBe(true);
  });

  it('lists every node that cannot be exported before writing anything, and exits 1', async () => {
    const project = JSON.parse(readFileSync('resources/examples/iris-mlp.netwright.json', 'utf8')) as Project;
    project.graph.nodes = [
      { id: 'in', type: 'Input', params: { shape: [6, 2] } },
      { id: 'r1', type: 'LSTM', params: { units: 4, returnSequences: true, activation: 'selu' } },
      { id: 'r2', type: 'GRU', params: { units: 4, activation: 'swish' } },
      { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
    ] as never;
    project.graph.edges = [
      { id: 'a', source: 'in', target: 'r1' },
      { id: 'b', source: 'r1', target: 'r2' },
      { id: 'c', source: 'r2', target: 'out' },
    ];
    const file = path.join(dir, 'rnn.netwright.json');
    writeFileSync(file, JSON.stringify(project));
    const onnxFile = path.join(dir, 'rnn.onnx');
    const r = await cli(file, '--onnx', onnxFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/r1: LSTM: ONNX's LSTM op has no "selu" activation/);
    expect(r.stderr).toMatch(/r2: GRU: ONNX's GRU op has no "swish" activation/);
    expect(existsSync(onnxFile)).toBe(false);
  });

  it('refuses an opset outside the supported range (1) and a missing target (2)', async () => {
    const bad = await cli(
      'resources/examples/iris-mlp.netwright.json',
      '--onnx',
      path.join(dir, 'x.onnx'),
      '--opset',
      '9',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/opset must be a whole number from 13 to/);
    const missing = await cli(path.join(dir, 'nope.netwright.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});

describe('export engine', () => {
  it('the same seed gives the same file; another seed gives other weights', async () => {
    const project = await loadExample('iris-mlp');
    const files = [1, 1, 2].map((_, i) => path.join(dir, `seed-${i}.onnx`));
    for (const [i, seed] of [1, 1, 2].entries()) await exportModel(tf, { project, onnxPath: files[i], seed });
    const [a, b, c] = files.map((f) => readFileSync(f));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('the parity check fails on a model that computes something else', async () => {
    const project = await loadExample('iris-mlp');
    const compiled = compileGraph(tf, project.graph);
    randomizeWeights(compiled.model, 4);
    const built = buildOnnxModel({
      inspection: compiled.inspection,
      weightsOf: (id) => layerWeights(compiled.model, id),
      opset: 17,
      name: 'tampered',
      producerVersion: 'test',
    });
    const model = onnx.ModelProto.decode(built.bytes);
    const bias = model.graph!.initializer!.find((t) => t.name!.endsWith('bias'))!;
    const values = new Float32Array(new Uint8Array(bias.rawData!).buffer);
    values[0] += 1e-3; // one weight off by 0.001
    bias.rawData = new Uint8Array(values.buffer);
    const tampered = onnx.ModelProto.encode(model).finish();
    const parity = await checkParity({
      tf,
      model: compiled.model,
      onnxBytes: tampered,
      inputs: parityInputs(compiled.inspection),
      outputs: ['out'],
    });
    expect(parity.passed).toBe(false);
    expect(parity.maxAbsDiff).toBeGreaterThan(1e-4);
  });

  it('rejects an invalid graph with the node and the reason', async () => {
    const project = await loadExample('iris-mlp');
    (project.graph.nodes[1].params as { units: number }).units = 0;
    const attempt = exportModel(tf, { project, onnxPath: path.join(dir, 'never.onnx') });
    await expect(attempt).rejects.toBeInstanceOf(EngineError);
    await expect(attempt).rejects.toThrow(/units/);
  });
});

describe('export of a trained run', () => {
  it('reads each file of the run folder once, and still checks parity on real test samples', async () => {
    const runDir = path.join(dir, 'read-once');
    const project = await loadExample('iris-mlp');
    const trained = await trainProject({ project, outDir: runDir, epochs: 1, backend: 'js' });
    expect(trained.status, trained.message).toBe('complete');
    const reads = vi.spyOn(fsp, 'readFile');
    try {
      const outcome = await exportModel(tf, { runDir, onnxPath: path.join(dir, 'read-once.onnx') });
      expect(outcome.weights).toBe('trained');
      expect(outcome.parity!.passed).toBe(true);
      expect(outcome.parity!.realSamples).toBeGreaterThan(0);
      expect(outcome.realSamplesSource).toBe('builtin:iris');
      const perFile = new Map<string, number>();
      for (const [file] of reads.mock.calls) {
        const rel = path.relative(runDir, String(file));
        if (!rel.startsWith('..')) perFile.set(rel, (perFile.get(rel) ?? 0) + 1);
      }
      expect(Object.fromEntries(perFile)).toEqual({
        'project.netwright.json': 1,
        'run.json': 1,
        'preprocessing.json': 1,
        'metrics.json': 1, // the deployment model carries the test metrics
        [path.join('model', 'model.json')]: 1,
        [path.join('model', 'weights.bin')]: 1,
      });
    } finally {
      reads.mockRestore();
    }
  });
});
