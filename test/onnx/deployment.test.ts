// The deployment ONNX export (docs/EXPORT.md): a trained run exported by `netwright export` takes raw
// inputs (columns as in the CSV, blanks as NaN, categories as strings, pixels 0–255, raw windows) and
// gives labels and probabilities or values in target units. For each kind of data the file, run in
// onnxruntime-node on raw rows, must give what `netwright predict` gives on the same rows, and pass
// the official checker. Real processes, real files; training is one or two epochs on small data.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { netwright } from '../cli/run-cli.ts';
import { onnxCheckerErrors, tf } from './harness.ts';
import { exportModel } from '../../engine/export/export-model.ts';
import { predictWithRun, type Prediction } from '../../engine/eval/evaluate-run.ts';
import { projectFromJson } from '../../engine/project/load.ts';
import { trainProject } from '../../engine/train/train-project.ts';
import { onnx } from '../../engine/onnx/proto.ts';
import type { InputEncoding, Preprocessing } from '../../engine/data/types.ts';
import { fileLoadHandler } from '../../engine/io/tfjs-files.ts';
import { mulberry32 } from '../../engine/random.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-deployment-test-'));
const exported: string[] = [];

/**
 * Trains and exports a run. Iris goes through the real CLI processes (train, export, predict); the
 * others call the same engine functions in this process, which saves a Node start-up per step.
 */
async function trainAndExport(
  name: string,
  project: unknown,
  epochs = 2,
  viaCli = false,
): Promise<{ run: string; file: string }> {
  const projectFile = path.join(dir, `${name}.netwright.json`);
  writeFileSync(projectFile, JSON.stringify(project));
  const run = path.join(dir, `${name}-run`);
  const file = path.join(dir, `${name}.onnx`);
  exported.push(file);
  if (viaCli) {
    const train = await netwright(
      'train',
      projectFile,
      '--out',
      run,
      '--epochs',
      String(epochs),
      '--backend',
      'js',
    );
    expect(train.code, train.stderr).toBe(0);
    const exp = await netwright('export', run, '--onnx', file, '--backend', 'js');
    expect(exp.code, exp.stderr + exp.stdout).toBe(0);
    expect(exp.stdout).toMatch(/Deployment model \(preprocessing inside\).* — passed/);
    return { run, file };
  }
  const parsed = projectFromJson(project);
  if (!parsed.ok) throw new Error(parsed.problems[0].message);
  const trained = await trainProject({
    project: parsed.project,
    projectPath: projectFile,
    outDir: run,
    epochs,
    backend: 'js',
  });
  expect(trained.status, trained.message).toBe('complete');
  const outcome = await exportModel(tf, { runDir: run, onnxPath: file });
  expect(outcome.deployment?.parity.passed, outcome.deployment?.parity.problem).toBe(true);
  expect(outcome.onnxPath).toBe(file);
  return { run, file };
}

async function predict(run: string, file: string, viaCli = false): Promise<Prediction[]> {
  if (!viaCli) return (await predictWithRun(run, file, 'js')).predictions;
  const r = await netwright('predict', run, file, '--json', '--backend', 'js');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { predictions: Prediction[] }).predictions;
}

/** The model's graph inputs with their element types (1 float, 8 string). */
function graphInputs(file: string): { name: string; string: boolean }[] {
  const graph = onnx.ModelProto.decode(readFileSync(file)).graph!;
  return graph.input!.map((i) => ({ name: i.name!, string: i.type!.tensorType!.elemType === 8 }));
}

/** A CSV's rows as the deployment model's feeds: one [N, 1] tensor per column, blanks NaN or "". */
function csvFeeds(file: string, csv: string): Record<string, ort.Tensor> {
  const [header, ...lines] = csv.trim().split('\n');
  const names = header.split(',');
  const rows = lines.map((l) => l.split(','));
  return Object.fromEntries(
    graphInputs(file).map(({ name, string }) => {
      const col = names.indexOf(name);
      const cells = rows.map((r) => r[col]);
      return [
        name,
        string
          ? new ort.Tensor('string', cells, [cells.length, 1])
          : new ort.Tensor(
              'float32',
              Float32Array.from(cells, (c) => (c === '' ? NaN : Number(c))),
              [cells.length, 1],
            ),
      ];
    }),
  );
}

async function runOnnx(file: string, feeds: Record<string, ort.Tensor>) {
  const session = await ort.InferenceSession.create(file);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

const close = (got: number, want: number) => Math.abs(got - want) <= 1e-4 * Math.max(1, Math.abs(want));

/** The ONNX outputs, sample by sample, against `predict`'s: identical labels, probabilities/values within 1e-4. */
function expectSamePredictions(out: ort.InferenceSession.OnnxValueMapType, predictions: Prediction[]): void {
  predictions.forEach((p, i) => {
    if ('className' in p) {
      expect(String((out.label.data as ArrayLike<unknown>)[i]), p.row).toBe(p.className);
      const names = Object.keys(p.probabilities);
      const probs = out.probabilities.data as Float32Array;
      names.forEach((n, c) =>
        expect(
          close(probs[i * names.length + c], p.probabilities[n]),
          `${p.row} ${n}: ${probs[i * names.length + c]} vs ${p.probabilities[n]}`,
        ).toBe(true),
      );
    } else {
      const names = Object.keys(p.values);
      const values = out.prediction.data as Float32Array;
      names.forEach((n, c) =>
        expect(
          close(values[i * names.length + c], p.values[n]),
          `${p.row} ${n}: ${values[i * names.length + c]} vs ${p.values[n]}`,
        ).toBe(true),
      );
    }
  });
}

const mlp = (width: number, units: number, activation: string, loss: string) => ({
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [width] } },
    { id: 'hidden', type: 'Dense', params: { units: 8, activation: 'relu' } },
    { id: 'head', type: 'Dense', params: { units, activation } },
    { id: 'out', type: 'Output', params: { loss } },
  ],
  edges: [
    { id: 'e1', source: 'in', target: 'hidden' },
    { id: 'e2', source: 'hidden', target: 'head' },
    { id: 'e3', source: 'head', target: 'out' },
  ],
});

const project = (name: string, graph: unknown, data: unknown) => ({
  format: 'netwright',
  version: 1,
  name,
  graph,
  data,
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 2, batchSize: 16, seed: 7 },
});

/** A table with a numeric column with blanks, a categorical one with blanks, and a class or a value to predict. */
function tableCsv(target: 'class' | 'value', rows = 160): string {
  const rng = mulberry32(target === 'class' ? 1 : 2);
  const colors = ['red', 'green', 'blue'];
  const lines = [`size,color,weight,${target === 'class' ? 'quality' : 'price'}`];
  for (let i = 0; i < rows; i++) {
    const size = 10 + 5 * rng();
    const color = colors[Math.floor(rng() * 3)];
    const weight = 200 + 100 * rng();
    const y =
      target === 'class'
        ? size + (color === 'red' ? 3 : 0) > 14
          ? 'good'
          : 'bad'
        : (100 + 20 * size - 0.5 * weight + (color === 'blue' ? 40 : 0) + 5 * rng()).toFixed(2);
    lines.push(
      [
        i % 9 === 4 ? '' : size.toFixed(3),
        i % 11 === 6 ? '' : color,
        i % 7 === 2 ? '' : weight.toFixed(1),
        y,
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** Rows for predict: the first training rows, a row of blanks and a category never seen in training. */
const predictRows = (csv: string) => {
  const lines = csv.trim().split('\n');
  return [...lines.slice(0, 13), ',,,', '12.5,purple,250,'].join('\n') + '\n';
};

describe('ONNX export with the preprocessing inside, against `netwright predict`', () => {
  it('iris: raw measurements in, species names and probabilities out', async () => {
    const iris = JSON.parse(readFileSync('resources/examples/iris-mlp.netwright.json', 'utf8')) as object;
    const { run, file } = await trainAndExport('iris', iris, 2, true);
    expect(graphInputs(file).map((i) => i.name)).toEqual([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
    ]);
    const csv =
      'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n5.9,,4.2,1.5\n';
    const rows = path.join(dir, 'iris-rows.csv');
    writeFileSync(rows, csv);
    const predictions = await predict(run, rows, true);
    expectSamePredictions(await runOnnx(file, csvFeeds(file, csv)), predictions);
    expect(predictions.map((p) => ('className' in p ? p.className : ''))).not.toContain('');
    const meta = Object.fromEntries(
      onnx.ModelProto.decode(readFileSync(file)).metadataProps!.map((p) => [p.key, p.value]),
    );
    expect(JSON.parse(meta['netwright.class_names']!)).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(JSON.parse(meta['netwright.metrics']!)).toHaveProperty('accuracy');
    expect(meta['netwright.inputs']).toMatch(/4 columns: sepal_length \(number\)/);
    expect(meta['netwright.version']).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a CSV with a categorical column and blanks: strings and NaN in, the same classes out', async () => {
    const csv = tableCsv('class');
    writeFileSync(path.join(dir, 'parts.csv'), csv);
    const { run, file } = await trainAndExport(
      'parts',
      project('Parts', mlp(5, 2, 'softmax', 'categoricalCrossentropy'), {
        source: 'csv:parts.csv',
        target: 'quality',
      }),
    );
    expect(graphInputs(file)).toEqual([
      { name: 'size', string: false },
      { name: 'color', string: true },
      { name: 'weight', string: false },
    ]);
    const rows = predictRows(csv);
    writeFileSync(path.join(dir, 'parts-rows.csv'), rows);
    expectSamePredictions(
      await runOnnx(file, csvFeeds(file, rows)),
      await predict(run, path.join(dir, 'parts-rows.csv')),
    );
  });

  it('a regression CSV: predictions in the target units', async () => {
    const csv = tableCsv('value');
    writeFileSync(path.join(dir, 'prices.csv'), csv);
    const { run, file } = await trainAndExport(
      'prices',
      project('Prices', mlp(5, 1, 'linear', 'meanSquaredError'), {
        source: 'csv:prices.csv',
        target: 'price',
      }),
    );
    const rows = predictRows(csv);
    writeFileSync(path.join(dir, 'prices-rows.csv'), rows);
    const predictions = await predict(run, path.join(dir, 'prices-rows.csv'));
    const out = await runOnnx(file, csvFeeds(file, rows));
    expectSamePredictions(out, predictions);
    // In price units (the data's prices are around 50–300), not standardised values around 0.
    const values = out.prediction.data as Float32Array;
    expect(Math.max(...Array.from(values, Math.abs))).toBeGreaterThan(20);
  });

  it("the tfjs export of the same run carries preprocessing.json and a README whose recipe gives predict's values", async () => {
    const run = path.join(dir, 'prices-run');
    const tfjsDir = path.join(dir, 'prices-tfjs');
    for (let i = 0; i < 2; i++) await exportModel(tf, { runDir: run, tfjsDir }); // a re-export replaces it
    expect(readdirSync(tfjsDir).sort()).toEqual([
      'README.md',
      'model.json',
      'preprocessing.json',
      'weights.bin',
    ]);
    const prep = JSON.parse(readFileSync(path.join(tfjsDir, 'preprocessing.json'), 'utf8')) as Preprocessing;
    expect(prep).toEqual(JSON.parse(readFileSync(path.join(run, 'preprocessing.json'), 'utf8')));
    const readme = readFileSync(path.join(tfjsDir, 'README.md'), 'utf8');
    expect(readme).toMatch(/from the columns `size`, `color`, `weight` in this order/);
    // The README's recipe, by hand: slots, blanks → fill, (x − offset) / scale; y × scale + offset.
    const rows = [
      ['12.5', 'red', '250'],
      ['', 'blue', '210'],
    ];
    const enc = prep.encodings[0] as Extract<InputEncoding, { kind: 'tabular' }>;
    const s = prep.inputs[0];
    const x = rows.flatMap((cells) => {
      const slots = enc.columns.flatMap((c, k) =>
        c.kind === 'numeric'
          ? [cells[k] === '' ? NaN : Number(cells[k])]
          : c.categories.map((v) => (v === cells[k] ? 1 : 0)),
      );
      return slots.map((v, j) => ((Number.isNaN(v) ? s.fill[j] : v) - s.offset[j]) / s.scale[j]);
    });
    const model = await tf.loadLayersModel(fileLoadHandler(tf, tfjsDir));
    const y = (model.predict(tf.tensor(x, [2, x.length / 2])) as tf.Tensor).dataSync();
    const byHand = Array.from(y, (v) => v * prep.target!.scale[0] + prep.target!.offset[0]);
    writeFileSync(path.join(dir, 'prices-two.csv'), 'size,color,weight\n12.5,red,250\n,blue,210\n');
    const predictions = await predict(run, path.join(dir, 'prices-two.csv'));
    predictions.forEach((p, i) =>
      expect(close(byHand[i], (p as { values: Record<string, number> }).values.price)).toBe(true),
    );
  });

  it('the S&P 500 window model: the raw window of closes in, the next close out', async () => {
    const sp500 = JSON.parse(readFileSync('resources/examples/sp500-lstm.netwright.json', 'utf8')) as {
      graph: { nodes: { id: string; params: Record<string, unknown> }[] };
      data: { window: { length: number } };
    };
    sp500.graph.nodes.find((n) => n.id === 'in')!.params.shape = [10, 1];
    sp500.graph.nodes.find((n) => n.id === 'lstm')!.params.units = 4;
    sp500.data.window.length = 10;
    const { run, file } = await trainAndExport('sp500', sp500, 1);
    const csv = readFileSync('node_modules/vega-datasets/data/sp500-2000.csv', 'utf8').trim().split('\n');
    const last = csv.slice(-10);
    const rows = path.join(dir, 'sp500-rows.csv');
    writeFileSync(rows, [csv[0], ...last].join('\n') + '\n');
    const closeCol = csv[0].split(',').indexOf('close');
    const window = Float32Array.from(last, (l) => Number(l.split(',')[closeCol]));
    const out = await runOnnx(file, { window: new ort.Tensor('float32', window, [1, 10, 1]) });
    const predictions = await predict(run, rows);
    expectSamePredictions(out, predictions);
    // A level near the last close, not a standardised change.
    expect(Math.abs((out.prediction.data as Float32Array)[0] - window[9])).toBeLessThan(0.2 * window[9]);
  });

  it('the defect images: 0–255 pixels in, defect classes out', async () => {
    const defects = project(
      'Defects',
      {
        nodes: [
          { id: 'in', type: 'Input', params: { shape: [16, 16, 1] } },
          { id: 'conv', type: 'Conv2D', params: { filters: 4, kernelSize: 3, activation: 'relu' } },
          { id: 'pool', type: 'GlobalMaxPooling2D', params: {} },
          { id: 'head', type: 'Dense', params: { units: 4, activation: 'softmax' } },
          { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
        ],
        edges: [
          { id: 'e1', source: 'in', target: 'conv' },
          { id: 'e2', source: 'conv', target: 'pool' },
          { id: 'e3', source: 'pool', target: 'head' },
          { id: 'e4', source: 'head', target: 'out' },
        ],
      },
      { source: 'builtin:defects', samples: 80 },
    );
    const { run, file } = await trainAndExport('defects', defects, 1);
    expect(graphInputs(file)).toEqual([{ name: 'image', string: false }]);
    const rng = mulberry32(3);
    for (const k of [1, 2]) {
      const png = new PNG({ width: 16, height: 16 });
      const pixels = new Float32Array(256);
      for (let i = 0; i < 256; i++) {
        const v = Math.floor(80 + 120 * rng());
        pixels[i] = v;
        png.data.set([v, v, v, 255], i * 4);
      }
      const image = path.join(dir, `part-${k}.png`);
      writeFileSync(image, PNG.sync.write(png));
      const out = await runOnnx(file, { image: new ort.Tensor('float32', pixels, [1, 16, 16, 1]) });
      expectSamePredictions(out, await predict(run, image));
    }
  });

  it('--bare writes the network alone; every exported file passes the official checker', async () => {
    const run = path.join(dir, 'iris-run');
    const bare = path.join(dir, 'iris-bare.onnx');
    const r = await netwright('export', run, '--bare', '--onnx', bare, '--backend', 'js');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/Deployment model/);
    const graph = onnx.ModelProto.decode(readFileSync(bare)).graph!;
    expect(graph.input!.map((i) => i.name)).toEqual(['in']);
    expect(graph.output!.map((o) => o.name)).toEqual(['out']);
    expect(onnxCheckerErrors([...exported, bare])).toEqual({});
  });
});
