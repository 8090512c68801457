// `netwright explain` and EngineApi.explain: open a saved run, pick the samples (the test split, a
// few of its examples, or a new CSV/image encoded as predict does) and run one method on the
// training backend. docs/EXPLAIN.md describes the methods and their limits.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend, type BackendChoice } from '../backend.ts';
import { applyPreprocessing, loadPredictInputs, transformInputs } from '../data/index.ts';
import type { Dataset, Preprocessing, TensorData } from '../data/types.ts';
import { loadRunModel, openRun, type OpenedRun } from '../runs/load-run.ts';
import { testSplitOfRun } from '../train/data-context.ts';
import { CAVEATS } from './caveats.ts';
import { columnAttributions } from './column-attribution.ts';
import { camLayers, chooseCamLayer, gradCam } from './grad-cam.ts';
import { graphForward } from './graph-forward.ts';
import { normalisedHeatMap } from './heatmap.ts';
import { invalid } from './invalid.ts';
import { mirrorAveraged } from './mirror-average.ts';
import { overlayPng } from './overlay-png.ts';
import { permutationImportance } from './permutation.ts';
import { saliency } from './saliency.ts';
import { smoothGrad } from './smooth-grad.ts';
import { chooseTarget, outputNames } from './target.ts';
import {
  IMAGE_METHODS,
  type ExplainMethod,
  type ExplainQuery,
  type ExplainResult,
  type ImageExplanation,
  type ImageMethod,
  type ImageResult,
} from './types.ts';

export interface ExplainRequest extends ExplainQuery {
  /** Image methods: write one overlay PNG per example here. */
  outDir?: string;
  backend?: BackendChoice;
}

export interface ExplainOutcome {
  result: ExplainResult;
  warnings: string[];
}

/** How many test samples per-sample methods explain when none are named. */
const DEFAULT_TABLE_EXAMPLES = 50;
const DEFAULT_IMAGE_EXAMPLES = 4;

export async function explainRun(req: ExplainRequest): Promise<ExplainOutcome> {
  const run = await openRun(req.runDir);
  const imageInput = run.prep.encodings.findIndex((e) => e.kind === 'image');
  const method =
    req.method ?? (imageInput >= 0 ? 'gradCam' : req.file ? 'integratedGradients' : 'permutation');
  checkMethodFits(method, run.prep, imageInput, req);
  const { tf } = await selectBackend(req.backend ?? 'auto');
  const model = await loadRunModel(tf, run);
  try {
    const samples = await samplesFor(run, req, method);
    const columns = model.outputs[0].shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
    const target = chooseTarget(run.prep, columns, req.className);
    if (method === 'permutation') {
      const result = await permutationImportance(tf, model, run.prep, samples.test!, samples.x, {
        repeats: req.repeats,
        seed: run.info.seed,
      });
      return { result, warnings: samples.warnings };
    }
    if (method === 'integratedGradients') {
      const result = columnAttributions(tf, model, run.prep, samples.x, samples.rows, target, {
        raw: samples.raw,
      });
      if (samples.actual) result.predictions.forEach((p, i) => (p.actual = samples.actual![i]));
      return { result, warnings: samples.warnings };
    }
    const result = await explainImages(
      tf,
      model,
      run,
      method,
      samples,
      imageInput,
      target?.index ?? null,
      req,
    );
    return { result, warnings: samples.warnings };
  } finally {
    model.dispose();
  }
}

function checkMethodFits(
  method: ExplainMethod,
  prep: Preprocessing,
  imageInput: number,
  req: ExplainRequest,
) {
  const imageMethod = (IMAGE_METHODS as readonly ExplainMethod[]).includes(method);
  if (imageMethod && imageInput < 0)
    throw invalid(
      `${method} explains image models; this run was trained on ${prep.encodings[0]?.kind ?? 'no'} data, so use permutation or integratedGradients.`,
    );
  if (!imageMethod && imageInput >= 0)
    throw invalid(
      `${method} explains table and series models; for this image model use gradCam, layerCam, saliency or smoothGrad.`,
    );
  if (req.mirrors && !imageMethod)
    throw invalid(`--mirrors averages image heat maps over mirror images; ${method} does not draw one.`);
  if (method === 'permutation' && req.file)
    throw invalid(
      'Permutation importance is measured on the whole test split; leave out the file, or use integratedGradients to explain its rows.',
    );
  if (method === 'permutation' && req.examples)
    throw invalid(
      'Permutation importance is measured on the whole test split; --example applies to per-sample methods.',
    );
}

interface Samples {
  /** Prepared (scaled) model inputs of the samples to explain. */
  x: TensorData[];
  /** The same samples unscaled (image pixels for overlays). */
  raw: TensorData[];
  rows: string[];
  /** Test-split samples: the true class or value, as text. */
  actual?: string[];
  /** The whole test split (permutation). */
  test?: Dataset;
  warnings: string[];
}

async function samplesFor(run: OpenedRun, req: ExplainRequest, method: ExplainMethod): Promise<Samples> {
  if (req.file) {
    const { x, rowLabels, warnings } = await loadPredictInputs(run.prep, req.file);
    return { x: transformInputs(run.prep, x), raw: x, rows: rowLabels, warnings };
  }
  let test: Dataset;
  try {
    test = await testSplitOfRun(run);
  } catch (err) {
    throw invalid(
      `The run's data could not be loaded again, so there is no test split to explain (${err instanceof Error ? err.message : String(err)}); give a CSV or image instead.`,
    );
  }
  const n = test.y.shape[0];
  const prepared = applyPreprocessing(run.prep, test).x;
  if (method === 'permutation') return { x: prepared, raw: test.x, rows: [], test, warnings: [] };
  const picked =
    req.examples ??
    Array.from(
      {
        length: Math.min(
          n,
          method === 'integratedGradients' ? DEFAULT_TABLE_EXAMPLES : DEFAULT_IMAGE_EXAMPLES,
        ),
      },
      (_, i) => i,
    );
  const bad = picked.find((i) => !Number.isInteger(i) || i < 0 || i >= n);
  if (bad !== undefined)
    throw invalid(`--example ${bad} is not a test sample; the test split has samples 0 to ${n - 1}.`);
  return {
    x: prepared.map((t) => rows(t, picked)),
    raw: test.x.map((t) => rows(t, picked)),
    rows: picked.map((i) => `test ${i}`),
    actual: picked.map((i) => actualOf(run.prep, test, i)),
    warnings: [],
  };
}

function rows(t: TensorData, picked: number[]): TensorData {
  const size = t.data.length / t.shape[0];
  const data = new Float32Array(picked.length * size);
  picked.forEach((r, k) => data.set(t.data.subarray(r * size, (r + 1) * size), k * size));
  return { data, shape: [picked.length, ...t.shape.slice(1)] };
}

function actualOf(prep: Preprocessing, test: Dataset, i: number): string {
  if (test.labels) return prep.classNames?.[test.labels[i]] ?? String(test.labels[i]);
  const k = test.y.shape[1] ?? 1;
  return String(Number(test.y.data[i * k].toPrecision(6)));
}

async function explainImages(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  run: OpenedRun,
  method: ImageMethod,
  samples: Samples,
  imageInput: number,
  target: number | null,
  req: ExplainRequest,
): Promise<ImageResult> {
  const fwd = graphForward(model, run.project.graph);
  const cam = method === 'gradCam' || method === 'layerCam';
  const layer = cam ? chooseCamLayer(fwd, req.layer) : undefined;
  const names = outputNames(
    run.prep,
    model.outputs[0].shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1),
  );
  const [, height, width, channels] = samples.x[imageInput].shape;
  if (req.outDir) await fs.mkdir(req.outDir, { recursive: true });
  const examples: ImageExplanation[] = [];
  for (let s = 0; s < samples.rows.length; s++) {
    const inputs = samples.x.map((t) => tf.tensor(rows(t, [s]).data, [1, ...t.shape.slice(1)]));
    try {
      const explain = (x: tfjs.Tensor[], index: number | null) =>
        cam
          ? gradCam(tf, fwd, run.prep, x, imageInput, layer!, index, method)
          : method === 'saliency'
            ? saliency(tf, fwd, run.prep, x, imageInput, index)
            : smoothGrad(tf, fwd, run.prep, x, imageInput, index, { seed: run.info.seed });
      const r = explain(inputs, target);
      if (req.mirrors) r.map = mirrorAveraged(tf, inputs, imageInput, (x) => explain(x, r.index).map);
      const probs = r.output.length === 1 ? [1 - r.output[0], r.output[0]] : Array.from(r.output);
      const top = probs.indexOf(Math.max(...probs));
      const heatmap = normalisedHeatMap(r.map, width, height);
      const example: ImageExplanation = {
        row: samples.rows[s],
        target: { name: names[r.index], index: r.index },
        predicted: names[top],
        probability: probs[top],
        heatmap,
        ...(samples.actual ? { actual: samples.actual[s] } : {}),
      };
      if (req.withImages) {
        const pixels = rows(samples.raw[imageInput], [s]).data;
        example.image = {
          width,
          height,
          channels,
          pixels: Array.from(pixels, (v) => Math.round(255 * Math.min(1, Math.max(0, v)))),
        };
      }
      if (req.outDir) {
        const file = `${method}-${samples.rows[s].replace(/[^A-Za-z0-9._-]+/g, '-')}.png`;
        const pixels = rows(samples.raw[imageInput], [s]).data;
        await fs.writeFile(path.join(req.outDir, file), overlayPng(pixels, channels, heatmap));
        example.file = file;
      }
      examples.push(example);
    } finally {
      tf.dispose(inputs);
    }
  }
  return {
    method,
    ...(layer ? { layer, layers: camLayers(fwd) } : {}),
    ...(req.mirrors ? { mirrors: true } : {}),
    examples,
    caveat: CAVEATS[method],
  };
}
