// Real iris data (builtin:iris through the data module), standardised on the training rows.
import type * as tfjs from '@tensorflow/tfjs';
import { selectBackend } from '../../engine/backend.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { applyPreprocessing, fitPreprocessing, loadDataset, splitDataset } from '../../engine/data/index.ts';
import { loadExample } from '../../engine/examples.ts';
import type { Graph } from '../../engine/project/schema.ts';
import type { LoopSplit } from '../../engine/train/loop.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';

export async function irisSplits(): Promise<{ train: LoopSplit; validation: LoopSplit }> {
  const ds = await loadDataset(
    { source: 'builtin:iris', target: 'species' },
    {
      projectDir: process.cwd(),
      inputShapes: [[4]],
      outputShapes: [[3]],
      losses: ['categoricalCrossentropy'],
      seed: 1,
    },
  );
  const s = splitDataset(ds, { testSplit: 0.2, validationSplit: 0.2, seed: 1 });
  const prep = fitPreprocessing(s.train, { scaling: 'standard' });
  const train = applyPreprocessing(prep, s.train);
  const validation = applyPreprocessing(prep, s.validation!);
  return { train: { x: train.x, y: train.y }, validation: { x: validation.x, y: validation.y } };
}

export async function backend(): Promise<typeof tfjs> {
  return (await selectBackend('auto')).tf;
}

export async function irisModel(tf: typeof tfjs, seed = 7, graph?: Graph): Promise<tfjs.LayersModel> {
  const g = graph ?? (await loadExample('iris-mlp')).graph;
  return withRandom(mulberry32(seed), () => compileGraph(tf, g)).model;
}

export const weightsOf = (model: tfjs.LayersModel): number[][] =>
  model.getWeights().map((w) => Array.from(w.dataSync()));
