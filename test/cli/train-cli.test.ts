// The run-folder round trip through the real CLI in a child process: train, evaluate, predict.
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../engine/data/index.ts';
import { loadContextFor, splitsFor } from '../../engine/train/data-context.ts';
import type { Project } from '../../engine/project/schema.ts';
import { netwright } from './run-cli.ts';

describe('netwright train / evaluate / predict', () => {
  let dir: string;
  let project: string;
  const out = () => path.join(dir, 'run');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nw-cli-train-'));
    project = path.join(dir, 'iris.netwright.json');
    await copyFile('resources/examples/iris-mlp.netwright.json', project);
  });

  it('trains, prints one line per epoch when not a TTY, and writes the run folder', async () => {
    const r = await netwright('train', project, '--out', out(), '--epochs', '2', '--seed', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^epoch 1\/2 {2}loss \d\.\d{4} {2}accuracy/m);
    expect(r.stdout).toMatch(/^epoch 2\/2 .*ETA 0s$/m);
    expect(r.stdout).toMatch(/Test accuracy \d\.\d{3} on 30 samples/);
    const info = JSON.parse(await readFile(path.join(out(), 'run.json'), 'utf8'));
    expect(info).toMatchObject({ status: 'complete', seed: 3, epochs: 2 });
    const model = JSON.parse(await readFile(path.join(out(), 'model', 'model.json'), 'utf8'));
    expect(model.format).toBe('layers-model');
  });

  it('evaluate re-runs the saved model on the test split and matches metrics.json', async () => {
    const r = await netwright('evaluate', out(), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const saved = JSON.parse(await readFile(path.join(out(), 'metrics.json'), 'utf8'));
    expect(report.recomputed).toBe(true);
    expect(report.metrics).toEqual(saved);
    expect(report.metrics.confusionMatrix.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    const text = await netwright('evaluate', out());
    expect(text.stdout).toMatch(/precision +recall +f1 +support/);
    expect(text.stdout).toMatch(/Confusion matrix/);
  });

  it('predict applies the saved preprocessing to a CSV and prints class and probability', async () => {
    const csv = path.join(dir, 'flowers.csv');
    await writeFile(csv, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n');
    const r = await netwright('predict', out(), csv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^row 2: (setosa|versicolor|virginica) \(probability (0|1)\.\d{3}\)$/m);
    const j = JSON.parse((await netwright('predict', out(), csv, '--json')).stdout);
    const probs = Object.values(j.predictions[0].probabilities) as number[];
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('exit codes: 2 for what cannot be read, 1 for what is invalid, one sentence each', async () => {
    const missing = await netwright('train', path.join(dir, 'nope.netwright.json'), '--out', out());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^netwright: Cannot find .*nope\.netwright\.json\.$/m);
    expect((await netwright('train', project, '--epochs', 'many')).code).toBe(2);
    expect((await netwright('evaluate', dir)).stderr).toMatch(/is not a run folder/);
    const bad = JSON.parse(await readFile(project, 'utf8'));
    bad.training.earlyStopping = { patience: -1 };
    const badFile = path.join(dir, 'bad.netwright.json');
    await writeFile(badFile, JSON.stringify(bad));
    const invalid = await netwright('train', badFile, '--out', path.join(dir, 'bad-run'));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^netwright: training\.earlyStopping\.patience: /m);
    expect(invalid.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

/** A project document: a chain of nodes (Input … Output) joined in order. */
function chainProject(
  name: string,
  nodes: { id: string; type: string; params: Record<string, unknown> }[],
  data: Record<string, unknown>,
  training: Record<string, unknown>,
) {
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
  return { format: 'netwright', version: 1, name, graph: { nodes, edges }, data, training };
}

/** Population mean and standard deviation, computed here from the per-fold figures. */
function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
}

describe('netwright train --folds K (cross-validation)', () => {
  let dir: string;
  let project: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nw-cli-cv-'));
    project = path.join(dir, 'iris.netwright.json');
    await copyFile('resources/examples/iris-mlp.netwright.json', project);
  });
  /** Both tests run the same folds (same seed), so the text run can be checked against the JSON one. */
  const crossValidate = (...extra: string[]) =>
    netwright('train', project, '--folds', '3', '--epochs', '3', '--seed', '5', '--backend', 'js', ...extra);

  it('--json: every sample is tested once, and the summary is the mean ± std of the folds', async () => {
    const out = path.join(dir, 'cv');
    const r = await crossValidate('--json', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.k).toBe(3);
    expect(report.folds).toHaveLength(3);
    expect(report.folds.map((f: { fold: number }) => f.fold)).toEqual([1, 2, 3]);
    for (const f of report.folds)
      expect(f).toMatchObject({ status: 'complete', epochsRun: 3, metrics: { task: 'classification' } });
    // Iris has 150 flowers, 50 per species: stratified folds test 50 each, ~17 of every species.
    expect(report.folds.map((f: { metrics: { samples: number } }) => f.metrics.samples)).toEqual([
      50, 50, 50,
    ]);
    // Each fold keeps the project's validationSplit (0.1) of its 100 training flowers for early
    // stopping, as a single run does: stratified, round(33 or 34 × 0.1) = 3 of each species.
    for (const f of report.folds) expect(f.samples).toEqual({ train: 91, validation: 9, test: 50 });
    for (const f of report.folds) {
      for (const c of f.metrics.perClass) expect(c.support).toBeGreaterThanOrEqual(16);
    }
    const headline = (m: { accuracy: number; macro: { precision: number; recall: number; f1: number } }) => ({
      accuracy: m.accuracy,
      precision: m.macro.precision,
      recall: m.macro.recall,
      f1: m.macro.f1,
    });
    const perFold = report.folds.map((f: { metrics: Parameters<typeof headline>[0] }) => headline(f.metrics));
    expect(Object.keys(report.summary).sort()).toEqual(['accuracy', 'f1', 'precision', 'recall']);
    for (const key of Object.keys(report.summary)) {
      const expected = meanStd(perFold.map((m: Record<string, number>) => m[key]));
      expect(report.summary[key].mean).toBeCloseTo(expected.mean, 10);
      expect(report.summary[key].std).toBeCloseTo(expected.std, 10);
    }
    // Accuracy is a count over 50 test flowers, so each fold's figure is a multiple of 1/50.
    for (const m of perFold) expect(Math.round(m.accuracy * 50)).toBeCloseTo(m.accuracy * 50, 6);
    expect(JSON.parse(await readFile(path.join(out, 'cv.json'), 'utf8'))).toEqual(report);
  });

  it('text: one line per fold and "metric mean ± std" lines consistent with them', async () => {
    const r = await crossValidate();
    expect(r.code, r.stderr).toBe(0);
    const folds = [
      ...r.stdout.matchAll(
        /^fold (\d)\/3: accuracy (\d\.\d{4}) {2}precision (\d\.\d{4}) {2}recall (\d\.\d{4}) {2}f1 (\d\.\d{4})$/gm,
      ),
    ];
    expect(folds.map((m) => m[1])).toEqual(['1', '2', '3']);
    expect(r.stdout).toMatch(/^3-fold cross-validation on CPU \(JavaScript\):$/m);
    ['accuracy', 'precision', 'recall', 'f1'].forEach((key, k) => {
      const line = r.stdout.match(new RegExp(`^  ${key} +(\\d\\.\\d{4}) ± (\\d\\.\\d{4})$`, 'm'));
      expect(line, `${key} summary line in:\n${r.stdout}`).not.toBeNull();
      const expected = meanStd(folds.map((m) => Number(m[k + 2])));
      // The fold figures are printed to 4 decimals, so the recomputed summary agrees to ~1e-4.
      expect(Math.abs(Number(line![1]) - expected.mean)).toBeLessThanOrEqual(1.5e-4);
      expect(Math.abs(Number(line![2]) - expected.std)).toBeLessThanOrEqual(1.5e-4);
    });
    // Same seed, same folds: the text run reports what the JSON run did.
    const again = JSON.parse(await readFile(path.join(dir, 'cv', 'cv.json'), 'utf8'));
    expect(Number(r.stdout.match(/^ {2}accuracy +(\d\.\d{4})/m)![1])).toBeCloseTo(
      again.summary.accuracy.mean,
      4,
    );
  });

  it('fewer than 2 folds, or more folds than samples, is refused in one sentence', async () => {
    const one = await netwright('train', project, '--folds', '1');
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^netwright: --folds must be a whole number of at least 2; it is "1"\.$/m);
    const many = await netwright('train', project, '--folds', '151', '--backend', 'js');
    expect(many.code).toBe(1);
    expect(many.stderr).toMatch(
      /^netwright: Cross-validation needs a whole number of folds from 2 to 150; it is 151\.$/m,
    );
    expect(many.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('netwright train --folds K refuses what a single run refuses', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nw-cli-cv-refuse-'));
  });

  /** The iris example with its graph changed by `edit`, trained once and cross-validated. */
  async function bothWays(name: string, edit: (graph: Project['graph']) => void) {
    const p = JSON.parse(await readFile('resources/examples/iris-mlp.netwright.json', 'utf8')) as Project;
    edit(p.graph);
    const file = path.join(dir, `${name}.netwright.json`);
    await writeFile(file, JSON.stringify(p));
    const args = ['--epochs', '1', '--backend', 'js'];
    const single = await netwright('train', file, '--out', path.join(dir, `${name}-run`), ...args);
    const cv = await netwright('train', file, '--folds', '3', ...args);
    return { single, cv };
  }

  const lastLine = (text: string) => text.trim().split('\n').pop();

  it('a graph with two Output nodes: exit 1, the same sentence', async () => {
    const { single, cv } = await bothWays('two-outputs', (g) => {
      g.nodes.push({ id: 'out2', type: 'Output', params: { loss: 'meanSquaredError' } });
      g.edges.push({ id: 'e4', source: 'd1', target: 'out2' });
    });
    expect(single.code, single.stderr).toBe(1);
    expect(lastLine(single.stderr)).toBe(
      'netwright: Training needs exactly one Output node; this graph has 2.',
    );
    expect(cv.code, cv.stderr).toBe(1);
    expect(lastLine(cv.stderr)).toBe(lastLine(single.stderr));
    expect(cv.stdout).not.toMatch(/^fold /m);
  });

  it('an unknown loss and an invalid graph: exit 1, the same sentence naming the node', async () => {
    const loss = await bothWays('unknown-loss', (g) => {
      g.nodes.find((n) => n.id === 'out')!.params.loss = 'hinge';
    });
    expect(loss.single.code, loss.single.stderr).toBe(1);
    expect(loss.single.stderr).toMatch(/out/);
    expect(loss.cv.code, loss.cv.stderr).toBe(1);
    expect(lastLine(loss.cv.stderr)).toBe(lastLine(loss.single.stderr));
    const graph = await bothWays('zero-units', (g) => {
      g.nodes.find((n) => n.id === 'd1')!.params.units = 0;
    });
    expect(graph.single.code, graph.single.stderr).toBe(1);
    expect(graph.single.stderr).toMatch(/d1/);
    expect(graph.cv.code, graph.cv.stderr).toBe(1);
    expect(lastLine(graph.cv.stderr)).toBe(lastLine(graph.single.stderr));
  });
});

describe('netwright predict <run-dir> <image>', () => {
  let dir: string;
  const run = () => path.join(dir, 'run');

  /** An 8×8 gray PNG whose pixels are drawn from [lo, hi] by a seeded generator. */
  function grayPng(lo: number, hi: number, seed: number): Buffer {
    const png = new PNG({ width: 8, height: 8 });
    let s = seed;
    for (let i = 0; i < 64; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const v = lo + Math.floor((s / 2147483648) * (hi - lo + 1));
      png.data.set([v, v, v, 255], i * 4);
    }
    return PNG.sync.write(png);
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nw-cli-predict-img-'));
    for (let i = 0; i < 12; i++) {
      await mkdir(path.join(dir, 'parts', 'dark'), { recursive: true });
      await mkdir(path.join(dir, 'parts', 'bright'), { recursive: true });
      await writeFile(path.join(dir, 'parts', 'dark', `d${i}.png`), grayPng(0, 70, 100 + i));
      await writeFile(path.join(dir, 'parts', 'bright', `b${i}.png`), grayPng(185, 255, 200 + i));
    }
    const p = chainProject(
      'dark or bright',
      [
        { id: 'in', type: 'Input', params: { shape: [8, 8, 1] } },
        { id: 'flat', type: 'Flatten', params: {} },
        { id: 'probs', type: 'Dense', params: { units: 2, activation: 'softmax' } },
        { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
      ],
      { source: 'images:parts', testSplit: 0.25 },
      { optimizer: { type: 'adam', learningRate: 0.05 }, epochs: 10, batchSize: 8, seed: 1 },
    );
    await writeFile(path.join(dir, 'p.netwright.json'), JSON.stringify(p));
    const r = await netwright('train', path.join(dir, 'p.netwright.json'), '--out', run(), '--backend', 'js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Test accuracy 1\.000 on 6 samples/);
  });

  it('names the class of a new image, with its probability', async () => {
    const bright = path.join(dir, 'new-bright.png');
    const dark = path.join(dir, 'new-dark.png');
    await writeFile(bright, grayPng(190, 250, 7));
    await writeFile(dark, grayPng(5, 60, 8));
    const b = await netwright('predict', run(), bright, '--backend', 'js');
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/^new-bright\.png: bright \(probability (0\.[5-9]\d\d|1\.000)\)$/m);
    const d = JSON.parse((await netwright('predict', run(), dark, '--backend', 'js', '--json')).stdout);
    expect(d.predictions).toHaveLength(1);
    expect(d.predictions[0]).toMatchObject({ row: 'new-dark.png', className: 'dark' });
    expect(d.predictions[0].probabilities.dark).toBeGreaterThan(0.5);
    expect(d.predictions[0].probabilities.dark + d.predictions[0].probabilities.bright).toBeCloseTo(1, 4);
  });

  it('an image that is not there, or will not decode: exit 2, one sentence naming it', async () => {
    const missing = await netwright('predict', run(), path.join(dir, 'nope.png'), '--backend', 'js');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^netwright: .*nope\.png.*\.$/m);
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);
    const junk = path.join(dir, 'junk.png');
    await writeFile(junk, 'this is not a picture');
    const bad = await netwright('predict', run(), junk, '--backend', 'js');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^netwright: .*junk\.png is not a PNG or JPEG file\.$/m);
  });
});

describe('netwright predict <run-dir> <csv> applies the saved preprocessing', () => {
  let dir: string;
  const run = () => path.join(dir, 'run');
  let project: Project;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nw-cli-predict-csv-'));
    // Features on very different scales (square metres vs years) and a target in the hundreds: a
    // prediction that skipped input scaling or the target's inverse scaling would be far off.
    const rows = ['size,age,price'];
    let s = 42;
    const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 80; i++) {
      const size = Math.round(800 + rand() * 3200);
      const age = Math.round(1 + rand() * 59);
      rows.push(`${size},${age},${(50 + 0.05 * size - 1.2 * age + rand() * 4).toFixed(2)}`);
    }
    await writeFile(path.join(dir, 'houses.csv'), rows.join('\n') + '\n');
    project = chainProject(
      'house prices',
      [
        { id: 'in', type: 'Input', params: { shape: [2] } },
        { id: 'h', type: 'Dense', params: { units: 8, activation: 'relu' } },
        { id: 'y', type: 'Dense', params: { units: 1 } },
        { id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } },
      ],
      { source: 'csv:houses.csv', target: 'price', testSplit: 0.25 },
      { optimizer: { type: 'adam', learningRate: 0.03 }, epochs: 20, batchSize: 16, seed: 9 },
    ) as unknown as Project;
    await writeFile(path.join(dir, 'p.netwright.json'), JSON.stringify(project));
    const r = await netwright('train', path.join(dir, 'p.netwright.json'), '--out', run(), '--backend', 'js');
    expect(r.code, r.stderr).toBe(0);
  });

  it("predictions on the test rows reproduce evaluate's MAE and RMSE exactly", async () => {
    // The same split evaluate uses (same data, seed and fractions), in original units.
    const dataset = await loadDataset(project.data!, loadContextFor(project, dir, 9));
    const test = splitsFor(dataset, project, 9).test;
    const n = test.y.shape[0];
    expect(n).toBe(20);
    const lines = ['size,age'];
    for (let i = 0; i < n; i++) lines.push(`${test.x[0].data[i * 2]},${test.x[0].data[i * 2 + 1]}`);
    const csv = path.join(dir, 'test-rows.csv');
    await writeFile(csv, lines.join('\n') + '\n');

    const p = await netwright('predict', run(), csv, '--backend', 'js', '--json');
    expect(p.code, p.stderr).toBe(0);
    const predictions = JSON.parse(p.stdout).predictions as { row: string; values: { price: number } }[];
    expect(predictions.map((q) => q.row)).toEqual(Array.from({ length: n }, (_, i) => `row ${i + 2}`));
    const errors = predictions.map((q, i) => q.values.price - test.y.data[i]);
    const mae = errors.reduce((a, e) => a + Math.abs(e), 0) / n;
    const rmse = Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / n);

    const e = await netwright('evaluate', run(), '--backend', 'js', '--json');
    expect(e.code, e.stderr).toBe(0);
    const metrics = JSON.parse(e.stdout).metrics;
    expect(metrics).toMatchObject({ task: 'regression', samples: n });
    expect(mae).toBeCloseTo(metrics.mae, 3);
    expect(rmse).toBeCloseTo(metrics.rmse, 3);
    // And in the units of the data: prices are in the hundreds, the model is within a few of them.
    for (const q of predictions) expect(q.values.price).toBeGreaterThan(20);
  });

  it('a CSV without the trained columns is refused naming the column', async () => {
    const csv = path.join(dir, 'no-age.csv');
    await writeFile(csv, 'size\n1000\n');
    const r = await netwright('predict', run(), csv, '--backend', 'js');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^netwright: no-age\.csv lacks the column "age" that the model was trained on\.$/m,
    );
  });
});
