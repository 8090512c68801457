// What validates, trains and exports (docs/ARCHITECTURE.md, "What validates, trains and exports"):
// for every layer kind in the registry, generated one- and two-layer graphs (params from the
// ParamDefs, small input shapes) are either refused before any work starts — by inspect or by the
// ONNX pre-flight, each problem one sentence — or they compile, take a training step on the wasm
// and the cpu backend with a finite loss and finite gradients for every trainable weight, and export
// to ONNX with parity in onnxruntime-node. Fixed seed in CI; FC_SEED=<n>|random and LAYER_RUNS=<n>
// explore further.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { inspectGraph, type InspectResult } from '../../engine/graph/inspect.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { buildOnnxModel } from '../../engine/onnx/build-model.ts';
import { onnxPreflight } from '../../engine/onnx/preflight.ts';
import { DEFAULT_OPSET } from '../../engine/onnx/opsets.ts';
import { checkParity } from '../../engine/export/parity.ts';
import { parityInputs } from '../../engine/export/parity-inputs.ts';
import { layerWeights } from '../../engine/export/tfjs-weights.ts';
import { compileForTraining } from '../../engine/train/trainable-model.ts';
import { TrainingConfigError } from '../../engine/train/config.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { buildGraph, layerCaseArb, LAYER_KINDS, type LayerCase } from './helpers/layer-arbitraries.ts';

const seedFromEnv = process.env.FC_SEED;
const SEED =
  seedFromEnv === 'random' ? Date.now() ^ (Math.random() * 2 ** 31) : Number(seedFromEnv ?? 20261202);
const RUNS = Number(process.env.LAYER_RUNS ?? 10);
const BATCH = 3;
/** A size for axes of unknown length (-1) in the training data. */
const VARYING = 4;

/** One sentence a user can act on: no line breaks, stack frames, internals or "undefined". */
function expectOneSentence(message: string, where: string): void {
  expect(message.trim().length, where).toBeGreaterThan(0);
  expect(message, where).not.toMatch(/\n|\bat \S+ \(|\[object|undefined|Error:|tfjs-core|\.ts:\d/);
}

function expectRefusalsAreSentences(inspection: InspectResult, label: string): void {
  const errors = inspection.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.length, label).toBeGreaterThan(0);
  for (const d of errors) expectOneSentence(d.message, `${label}: ${d.message}`);
}

/** Training rows for each model input (ids for Embedding inputs) and targets of the output's shape. */
function trainingData(inspection: InspectResult) {
  const rng = mulberry32(11);
  const x = parityInputs(inspection).map((spec) => {
    const shape = [BATCH, ...spec.shape.map((d) => d ?? VARYING)];
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: n }, () =>
      spec.maxId ? Math.floor(rng() * spec.maxId) : rng() * 2 - 1,
    );
    return { data, shape };
  });
  return { x, rng };
}

/**
 * The gradients of the loss with respect to every trainable weight and every float input (so a
 * layer without weights is checked too: its backward pass is what feeds the layers before it) are
 * all finite, and so is the loss.
 */
function expectFiniteGradients(
  model: tf.LayersModel,
  xs: tf.Tensor[],
  floatInputs: boolean[],
  y: tf.Tensor,
  where: string,
): void {
  const lossOf = (inputs: tf.Tensor[]) =>
    tf.mean(tf.squaredDifference(y, model.apply(inputs, { training: true }) as tf.Tensor)) as tf.Scalar;
  const finite = (t: tf.Tensor) => t.dataSync().every((e) => Number.isFinite(e));
  tf.tidy(() =>
    withRandom(mulberry32(5), () => {
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
      if (variables.length) {
        const { value, grads } = tf.variableGrads(() => lossOf(xs), variables);
        expect(finite(value), `${where}: loss ${value.dataSync()[0]}`).toBe(true);
        for (const v of variables) {
          expect(grads[v.name], `${where}: no gradient for ${v.name}`).toBeDefined();
          expect(finite(grads[v.name]), `${where}: non-finite gradient for ${v.name}`).toBe(true);
        }
      }
      if (floatInputs.some(Boolean)) {
        const dx = tf.grads((...inputs: tf.Tensor[]) => lossOf(inputs))(xs);
        dx.forEach((g, i) => {
          if (floatInputs[i]) expect(finite(g), `${where}: non-finite gradient for input ${i}`).toBe(true);
        });
      }
    }),
  );
}

/**
 * On one backend: compile, check the gradients, and take one real training step (the engine's
 * compileForTraining + trainLoop). Returns false when training refuses the graph up front, in one
 * sentence (a graph without trainable weights).
 */
async function trainOneStep(c: LayerCase, backend: 'wasm' | 'cpu', label: string): Promise<boolean> {
  await tf.setBackend(backend);
  const where = `${label} on ${backend}`;
  const graph = buildGraph(c.inputs, c.layers);
  const inspection = inspectGraph(graph);
  const { x, rng } = trainingData(inspection);
  const floatInputs = parityInputs(inspection).map((spec) => spec.maxId === undefined);
  const xs = x.map((t) => tf.tensor(t.data, t.shape));
  const probe = withRandom(mulberry32(3), () => compileGraph(tf, graph)).model;
  const predicted = probe.predict(xs) as tf.Tensor;
  const y = tf.tensor(
    Float32Array.from({ length: predicted.size }, () => rng()),
    predicted.shape,
  );
  predicted.dispose();
  try {
    expectFiniteGradients(probe, xs, floatInputs, y, where);
  } finally {
    probe.dispose();
  }

  let compiled: ReturnType<typeof compileForTraining>;
  try {
    compiled = compileForTraining(tf, graph, 3);
  } catch (err) {
    tf.dispose([...xs, y]);
    if (!(err instanceof TrainingConfigError)) throw err;
    expectOneSentence(err.message, `${where}: ${err.message}`);
    return false;
  }
  const { model, loss } = compiled;
  try {
    const result = await trainLoop({
      tf,
      model,
      loss,
      train: { x, y: { data: y.dataSync() as Float32Array, shape: y.shape } },
      optimizer: { type: 'adam', learningRate: 0.01 },
      epochs: 1,
      batchSize: BATCH,
      seed: 1,
      dataParallel: false,
    });
    expect(result.status, `${where}: ${result.message}`).toBe('complete');
    expect(Number.isFinite(result.history[0].loss), where).toBe(true);
    return true;
  } finally {
    tf.dispose([...xs, y]);
    model.dispose();
  }
}

/** ONNX: refused by the pre-flight in sentences, or exported with parity. Returns whether it exported. */
async function exportsWithParity(c: LayerCase, label: string): Promise<boolean> {
  await tf.setBackend('cpu');
  const graph = buildGraph(c.inputs, c.layers);
  const compiled = withRandom(mulberry32(3), () => compileGraph(tf, graph));
  try {
    const problems = onnxPreflight(compiled.inspection, DEFAULT_OPSET);
    if (problems.length) {
      for (const p of problems) expectOneSentence(p.message, `${label}: ${p.message}`);
      return false;
    }
    const built = buildOnnxModel({
      inspection: compiled.inspection,
      weightsOf: (id) => layerWeights(compiled.model, id),
      opset: DEFAULT_OPSET,
      name: 'property',
      producerVersion: 'test',
    });
    const parity = await checkParity({
      tf,
      model: compiled.model,
      onnxBytes: built.bytes,
      inputs: parityInputs(compiled.inspection),
      outputs: built.outputs.map((o) => o.name),
      samples: 2,
    });
    expect(parity.passed, `${label}: ONNX parity max abs diff ${parity.maxAbsDiff}`).toBe(true);
    return true;
  } finally {
    compiled.model.dispose();
  }
}

const describeCase = (c: LayerCase) =>
  `${JSON.stringify(c.inputs)} → ${c.layers.map(([t, p]) => `${t}${JSON.stringify(p)}`).join(' → ')}`;

beforeAll(async () => {
  expect((await selectBackend('wasm')).id).toBe('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe(`every layer kind: what inspect accepts trains and exports (seed ${SEED}, ${RUNS} graphs each)`, () => {
  const tally = { refused: 0, notTrainable: 0, trained: 0, exported: 0 };
  afterAll(() => {
    console.log(`layer property: ${JSON.stringify(tally)}`);
  });

  for (const spec of LAYER_KINDS) {
    it(
      spec.type,
      async () => {
        await fc.assert(
          fc.asyncProperty(layerCaseArb(spec), async (c) => {
            const label = describeCase(c);
            const inspection = inspectGraph(buildGraph(c.inputs, c.layers));
            if (!inspection.valid) {
              expectRefusalsAreSentences(inspection, label);
              tally.refused++;
              return;
            }
            const trained = await trainOneStep(c, 'wasm', label);
            expect(await trainOneStep(c, 'cpu', label), label).toBe(trained);
            tally[trained ? 'trained' : 'notTrainable']++;
            if (await exportsWithParity(c, label)) tally.exported++;
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
      },
      120_000,
    );
  }
});
