// How a project's graph and settings turn into the data module's inputs. Shared by training,
// re-evaluation of a saved run and cross-validation, so all three see exactly the same splits.
import path from 'node:path';
import { inspectGraph } from '../graph/inspect.ts';
import { liveNodes } from '../graph/live-nodes.ts';
import { applyPreprocessing, fitPreprocessing, loadDataset, splitDataset } from '../data/index.ts';
import type { Dataset, DataSpec, LoadContext, Preprocessing, Splits } from '../data/types.ts';
import type { Project } from '../project/schema.ts';
import { TrainingConfigError } from './config.ts';
import { streamedCsvFile } from '../data/stream/streamed-source.ts';
import { splitOptionsOf, streamedTestSplit } from './streamed-data.ts';
import { streamImageSplits, streamedImageFolder } from '../data/stream/image-folder.ts';

export function loadContextFor(project: Project, projectDir: string, seed: number): LoadContext {
  const inspection = inspectGraph(project.graph);
  const byId = new Map(inspection.nodes.map((n) => [n.id, n]));
  // The nodes compileGraph builds (those reaching an Output), so x[i] feeds the model's input i.
  const live = liveNodes(inspection).map((n) => n.id);
  const shapeOf = (id: string) => (byId.get(id)?.outputShape ?? []).slice(1).map((d) => d ?? -1);
  const inputs = live.filter((id) => byId.get(id)!.type === 'Input');
  const outputs = live.filter((id) => byId.get(id)!.type === 'Output');
  return {
    projectDir,
    inputShapes: inputs.map(shapeOf),
    inputIds: inputs,
    outputShapes: outputs.map(shapeOf),
    losses: outputs.map((id) => String(byId.get(id)!.params.loss ?? 'meanSquaredError')),
    seed,
  };
}

export function splitsFor(dataset: Dataset, project: Project, seed: number): Splits {
  return splitDataset(dataset, {
    testSplit: project.data?.testSplit ?? 0.2,
    validationSplit: project.training?.validationSplit ?? 0,
    seed,
  });
}

/** The dataset of a project about to be trained; relative data paths resolve beside the project file. */
export async function loadProjectDataset(
  project: Project,
  projectPath: string | undefined,
  seed: number,
): Promise<Dataset> {
  if (!project.data)
    throw new TrainingConfigError('The project has no data section; set data.source, e.g. "builtin:iris".');
  const projectDir = projectPath ? path.dirname(path.resolve(projectPath)) : process.cwd();
  return loadDataset(project.data, loadContextFor(project, projectDir, seed));
}

/** A saved run's test split, loaded again with the run's own project, folder and seed (original units). */
export async function testSplitOfRun(run: {
  project: Project;
  projectDir: string;
  info: { seed: number };
}): Promise<Dataset> {
  if (!run.project.data) throw new Error('the project has no data section');
  const ctx = loadContextFor(run.project, run.projectDir, run.info.seed);
  const file = await streamedCsvFile(run.project.data as DataSpec, run.projectDir, ctx.inputShapes.length);
  if (file) return streamedTestSplit(run.project, file, ctx);
  const images = await streamedImageFolder(run.project.data as DataSpec, run.projectDir, ctx.inputShapes);
  if (images) {
    const split = { ...splitOptionsOf(run.project, run.info.seed) };
    return (await streamImageSplits(images, run.project.data as DataSpec, ctx, split, false)).test;
  }
  const dataset = await loadDataset(run.project.data, ctx);
  return splitsFor(dataset, run.project, run.info.seed).test;
}

export interface PreparedSplits {
  prep: Preprocessing;
  train: { x: Dataset['x']; y: Dataset['y'] };
  validation: { x: Dataset['x']; y: Dataset['y'] } | null;
  /** The test split as loaded (original units) and its preprocessed inputs. */
  test: Dataset;
  testX: Dataset['x'];
}

/** Preprocessing fitted on the training rows only, applied to every split; an empty validation split is none. */
export function prepareSplits(
  splits: { train: Dataset; validation: Dataset | null; test: Dataset },
  spec: DataSpec,
): PreparedSplits {
  const prep = fitPreprocessing(splits.train, { scaling: spec.scaling, scaleTarget: spec.scaleTarget });
  const train = applyPreprocessing(prep, splits.train);
  const validation =
    splits.validation && splits.validation.y.shape[0] > 0
      ? applyPreprocessing(prep, splits.validation)
      : null;
  const testX = applyPreprocessing(prep, splits.test).x;
  return { prep, train, validation, test: splits.test, testX };
}
