// data.inputs: a graph with two Input nodes trained on iris (real tfjs, real files): training,
// re-evaluation of the saved run, predict on a CSV, k-fold cross-validation, ONNX export parity on
// real samples, and each refusal rule.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { applyPreprocessing, fitPreprocessing, loadDataset, splitDataset } from '../../engine/data/index.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { trainLoop } from '../../engine/train/loop.ts';
import type { DataSpec, LoadContext, Preprocessing } from '../../engine/data/types.ts';
import { crossValidate } from '../../engine/eval/cv.ts';
import { evaluateRun, predictWithRun } from '../../engine/eval/evaluate-run.ts';
import { exportModel } from '../../engine/export/export-model.ts';
import type { Project } from '../../engine/project/schema.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { dataError, tempDir, writeFile } from '../data/helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const INPUTS = {
  sepal: ['sepal_length', 'sepal_width'],
  petal: ['petal_length', 'petal_width'],
};

/** Two Inputs → Concatenate → Dense → softmax; `petal` comes first in the graph, unlike in data.inputs. */
function twoInputProject(data: Partial<DataSpec> = {}, shapes = { sepal: [2], petal: [2] }): Project {
  const node = (id: string, type: string, params: Record<string, unknown>) => ({
    id,
    type,
    params,
    position: { x: 0, y: 0 },
  });
  return {
    format: 'netwright',
    version: 1,
    name: 'Iris two inputs',
    graph: {
      nodes: [
        node('petal', 'Input', { shape: shapes.petal }),
        node('sepal', 'Input', { shape: shapes.sepal }),
        node('join', 'Concatenate', { axis: -1 }),
        node('d1', 'Dense', { units: 16, activation: 'relu' }),
        node('d2', 'Dense', { units: 3, activation: 'softmax' }),
        node('out', 'Output', { loss: 'categoricalCrossentropy' }),
      ],
      edges: [
        { id: 'e1', source: 'petal', target: 'join', targetPort: 0 },
        { id: 'e2', source: 'sepal', target: 'join', targetPort: 1 },
        { id: 'e3', source: 'join', target: 'd1' },
        { id: 'e4', source: 'd1', target: 'd2' },
        { id: 'e5', source: 'd2', target: 'out' },
      ],
    },
    data: { source: 'builtin:iris', target: 'species', inputs: INPUTS, testSplit: 0.2, ...data },
    training: {
      optimizer: { type: 'adam', learningRate: 0.01 },
      epochs: 60,
      batchSize: 16,
      seed: 42,
    },
  } as Project;
}

describe('a two-Input iris project', () => {
  const runDir = path.join(tmp.dir, 'run');
  let trained: Awaited<ReturnType<typeof trainProject>>;

  it('trains to a test accuracy of at least 0.9 and saves one encoding per input', async () => {
    trained = await trainProject({ project: twoInputProject(), outDir: runDir, backend: 'js' });
    expect(trained.status, trained.message).toBe('complete');
    expect(trained.metrics?.task).toBe('classification');
    expect((trained.metrics as { accuracy: number }).accuracy).toBeGreaterThanOrEqual(0.9);
    const prep = JSON.parse(readFileSync(path.join(runDir, 'preprocessing.json'), 'utf8')) as Preprocessing;
    // Graph order: petal, then sepal — each Input gets its own columns and its own scaler.
    expect(prep.encodings).toEqual([
      {
        kind: 'tabular',
        columns: [
          { name: 'petal_length', kind: 'numeric' },
          { name: 'petal_width', kind: 'numeric' },
        ],
      },
      {
        kind: 'tabular',
        columns: [
          { name: 'sepal_length', kind: 'numeric' },
          { name: 'sepal_width', kind: 'numeric' },
        ],
      },
    ]);
    expect(prep.inputs.map((s) => s.offset.length)).toEqual([2, 2]);
    // Petals are longer than they are wide, sepals longer than petals on average: the means differ.
    expect(prep.inputs[0].offset[0]).toBeGreaterThan(prep.inputs[0].offset[1]);
    expect(prep.inputs[1].offset[0]).toBeGreaterThan(prep.inputs[0].offset[0]);
  }, 120_000);

  it('evaluate recomputes the same metrics from the saved run', async () => {
    const ev = await evaluateRun(runDir, 'js');
    expect(ev.recomputed, ev.note).toBe(true);
    // metrics.json carries the run's data warnings beside the metrics training returned.
    const saved = JSON.parse(readFileSync(path.join(runDir, 'metrics.json'), 'utf8'));
    expect(ev.metrics).toEqual(saved);
    expect({ ...saved, warnings: undefined }).toEqual({ ...trained.metrics, warnings: undefined });
  }, 60_000);

  it('predicts the species of CSV rows, whatever the column order of the file', async () => {
    const csv = writeFile(
      tmp.dir,
      'new-flowers.csv',
      [
        'petal_width,sepal_length,petal_length,sepal_width',
        '0.2,5.1,1.4,3.5', // a setosa of the dataset
        '2.3,6.9,5.7,3.2', // a virginica
      ].join('\n'),
    );
    const { predictions, warnings } = await predictWithRun(runDir, csv, 'js');
    expect(warnings).toEqual([]);
    expect(predictions.map((p) => ('className' in p ? p.className : null))).toEqual(['setosa', 'virginica']);
    expect(predictions[0].row).toBe('row 2');
  }, 60_000);

  it('predict names the columns a CSV lacks', async () => {
    const csv = writeFile(tmp.dir, 'no-petals.csv', 'sepal_length,sepal_width\n5.1,3.5\n');
    await expect(predictWithRun(runDir, csv, 'js')).rejects.toThrow(/"petal_length", "petal_width"/);
  }, 60_000);

  it('exports to ONNX with parity on real test samples fed to both inputs', async () => {
    const { tf } = await selectBackend('js');
    const onnxPath = path.join(tmp.dir, 'two-inputs.onnx');
    const outcome = await exportModel(tf, { runDir, onnxPath });
    expect(outcome.realSamplesNote).toBeUndefined();
    expect(outcome.realSamplesSource).toBe('builtin:iris');
    expect(outcome.parity!.passed).toBe(true);
    expect(outcome.parity!.realSamples).toBeGreaterThan(0);
    expect(existsSync(onnxPath)).toBe(true);
  }, 60_000);

  it('cross-validates with both inputs in every fold', async () => {
    const project = twoInputProject();
    project.training!.epochs = 30;
    const report = await crossValidate(project, 3, { backend: 'js' });
    expect(report.folds.map((f) => f.status)).toEqual(['complete', 'complete', 'complete']);
    expect(report.folds.map((f) => f.samples.test)).toEqual([50, 50, 50]);
    expect(report.summary.accuracy.mean).toBeGreaterThan(0.8);
  }, 120_000);
});

describe('data-parallel training of two inputs (wasm)', () => {
  it('splits both x arrays across 2 threads and trains the weights 1 thread trains', async () => {
    const { tf } = await selectBackend('wasm');
    const project = twoInputProject();
    const ds = await loadDataset(project.data!, {
      projectDir: tmp.dir,
      inputShapes: [[2], [2]],
      inputIds: ['petal', 'sepal'],
      outputShapes: [[3]],
      losses: ['categoricalCrossentropy'],
      seed: 1,
    });
    const split = splitDataset(ds, { testSplit: 0.2, validationSplit: 0, seed: 1 });
    const train = applyPreprocessing(fitPreprocessing(split.train), split.train);
    const run = async (dataParallel: boolean) => {
      const { model } = withRandom(mulberry32(7), () => compileGraph(tf, project.graph));
      const result = await trainLoop({
        tf,
        model,
        loss: 'categoricalCrossentropy',
        train: { x: train.x, y: train.y },
        optimizer: { type: 'adam', learningRate: 0.01 },
        epochs: 2,
        batchSize: 32,
        seed: 5,
        dataParallel,
      });
      const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
      model.dispose();
      return { result, weights };
    };
    const one = await run(false);
    const two = await run(true);
    expect(two.result.threads).toBe(2);
    expect(two.result.status).toBe('complete');
    let worst = 0;
    one.weights.forEach((w, i) =>
      w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - two.weights[i][j])))),
    );
    expect(worst).toBeLessThan(1e-4);
  }, 60_000);
});

describe('data.inputs refusals', () => {
  const ctx = (shapes: number[][], ids: string[], classes = 3): LoadContext => ({
    projectDir: tmp.dir,
    inputShapes: shapes,
    inputIds: ids,
    outputShapes: [[classes]],
    losses: ['categoricalCrossentropy'],
    seed: 1,
  });
  const two = ctx([[2], [2]], ['petal', 'sepal']);
  const iris = (data: Partial<DataSpec>) =>
    ({ source: 'builtin:iris', target: 'species', inputs: INPUTS, ...data }) as DataSpec;

  it('splits the columns over the Inputs in graph order', async () => {
    const ds = await loadDataset(iris({}), two);
    expect(ds.x.map((t) => t.shape)).toEqual([
      [150, 2],
      [150, 2],
    ]);
    // Row 1 of iris: 5.1, 3.5, 1.4, 0.2.
    expect(Array.from(ds.x[0].data.slice(0, 2))).toEqual([Math.fround(1.4), Math.fround(0.2)]);
    expect(Array.from(ds.x[1].data.slice(0, 2))).toEqual([Math.fround(5.1), Math.fround(3.5)]);
  });

  it('refuses an id that is not an Input node', async () => {
    const e = await dataError(loadDataset(iris({ inputs: { ...INPUTS, leaf: ['sepal_length'] } }), two));
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe(
      'data.inputs names "leaf", which is not an Input node of the graph (its Input nodes are "petal", "sepal").',
    );
  });

  it('refuses an Input node that has no columns', async () => {
    const e = await dataError(loadDataset(iris({ inputs: { sepal: INPUTS.sepal } }), two));
    expect(e.message).toMatch(/^data\.inputs has no columns for the Input node "petal"; /);
  });

  it('refuses a graph with two Inputs and no data.inputs, with the existing sentence and a hint', async () => {
    const e = await dataError(loadDataset(iris({ inputs: undefined }), two));
    expect(e.message).toMatch(/feeds one model input, but the graph has 2 Input nodes; .*data\.inputs/);
  });

  it('refuses a column that does not exist, and the target', async () => {
    const missing = await dataError(
      loadDataset(iris({ inputs: { ...INPUTS, petal: ['petal_length', 'petal_depth'] } }), two),
    );
    expect(missing.message).toMatch(/^data\.inputs\.petal names "petal_depth", which is not a column of /);
    expect(missing.where?.column).toBe('petal_depth');
    const target = await dataError(
      loadDataset(iris({ inputs: { ...INPUTS, petal: ['petal_length', 'species'] } }), two),
    );
    expect(target.message).toMatch(/^data\.inputs\.petal names "species", which is the target column/);
  });

  it('refuses a column given to two Inputs', async () => {
    const e = await dataError(
      loadDataset(iris({ inputs: { ...INPUTS, petal: ['petal_length', 'sepal_width'] } }), two),
    );
    expect(e.message).toBe(
      'The column "sepal_width" is given to two Input nodes, "petal" and "sepal"; give each column to one Input.',
    );
  });

  it("refuses an Input whose size is not its columns' encoded width, naming both", async () => {
    const e = await dataError(loadDataset(iris({}), ctx([[3], [2]], ['petal', 'sepal'])));
    expect(e.message).toBe(
      'The Input node "petal" has shape [3], but its columns petal_length, petal_width encode to 2 values; set its shape to [2].',
    );
  });

  it('counts one-hot slots in the width of a categorical column', async () => {
    writeFile(
      tmp.dir,
      'loans.csv',
      ['income,color,age,default', '10,red,30,no', '20,blue,40,yes', '15,green,35,no', '12,red,50,yes'].join(
        '\n',
      ),
    );
    const data = {
      source: 'csv:loans.csv',
      target: 'default',
      inputs: { a: ['income'], b: ['color', 'age'] },
    };
    const e = await dataError(loadDataset(data, ctx([[1], [2]], ['a', 'b'], 2)));
    expect(e.message).toBe(
      'The Input node "b" has shape [2], but its columns color, age encode to 4 values; set its shape to [4].',
    );
    const ds = await loadDataset(data, ctx([[1], [4]], ['a', 'b'], 2));
    expect(ds.encodings[1]).toEqual({
      kind: 'tabular',
      columns: [
        { name: 'color', kind: 'categorical', categories: ['blue', 'green', 'red'] },
        { name: 'age', kind: 'numeric' },
      ],
    });
    // Row 1: red → [0, 0, 1], age 30.
    expect(Array.from(ds.x[1].data.slice(0, 4))).toEqual([0, 0, 1, 30]);
  });

  it('refuses data.inputs beside data.features, and on a source that feeds a single Input', async () => {
    const both = await dataError(loadDataset(iris({ features: ['sepal_length'] }), two));
    expect(both.message).toBe(
      'data.features and data.inputs both choose feature columns; keep only data.inputs.',
    );
    const sine = await dataError(
      loadDataset(
        {
          source: 'builtin:sine',
          window: { length: 2, column: 'value' },
          inputs: { a: ['value'] },
        } as DataSpec,
        ctx([[2, 1]], ['a']),
      ),
    );
    expect(sine.message).toMatch(
      /^data\.inputs splits the columns of a table over Input nodes; builtin:sine cut into windows feeds a single Input/,
    );
  });

  it('keeps refusing two Inputs for tensor builtins and windowed series with the existing sentence', async () => {
    const mnist = await dataError(loadDataset({ source: 'builtin:mnist', samples: 20 } as DataSpec, two));
    expect(mnist.message).toBe(
      'data.source builtin:mnist feeds one model input, but the graph has 2 Input nodes.',
    );
    const sine = await dataError(
      loadDataset({ source: 'builtin:sine', window: { length: 2, column: 'value' } } as DataSpec, two),
    );
    expect(sine.message).toBe(
      'data.source builtin:sine feeds one model input, but the graph has 2 Input nodes.',
    );
  });
});
