// `netwright export <run|project> --pytorch <dir>`: a self-contained PyTorch DDP training package
// (layout in docs/SCALE-OUT.md). The pre-flight report runs before anything is written.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tfjs from '@tensorflow/tfjs';
import { EngineError } from '../api.ts';
import { CompileError } from '../compile/tfjs-model.ts';
import type { Preprocessing } from '../data/types.ts';
import { inspectGraph, type InspectResult } from '../graph/inspect.ts';
import type { ExportProblem } from '../onnx/preflight.ts';
import type { Project } from '../project/schema.ts';
import { loadRunModel, openRun } from '../runs/load-run.ts';
import { json } from '../runs/run-dir.ts';
import { resolveTrainingSettings } from '../train/config.ts';
import { DEFAULT_LEARNING_RATE } from '../train/optimizers.ts';
import { metricNameFor, type LossName } from '../train/losses.ts';
import { netwrightVersion } from '../version.ts';
import { startWeightsOf } from '../weights/start-weights.ts';
import { compileWithStart } from '../train/trainable-model.ts';
import { writeModelFiles } from './model-files.ts';
import { encodeNpy } from './npy.ts';
import { packageData, type PackageSplit } from './package-data.ts';
import { torchPreflight } from './preflight.ts';
import { packageReadme } from './readme.ts';

export const TEMPLATES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../resources/pytorch',
);
/** Copied as they are: the training script, the dataset, the launchers. */
const TEMPLATE_FILES = [
  'train.py',
  'data.py',
  'requirements.txt',
  'launch/torchrun.sh',
  'launch/slurm.sbatch',
  'launch/ray_train.py',
];
/** Where the package keeps what import-checkpoint needs to rebuild a Netwright run. */
export const PACKAGE_META = {
  dir: 'netwright',
  project: 'netwright/project.netwright.json',
  preprocessing: 'netwright/preprocessing.json',
  source: 'netwright/source.json',
  split: 'netwright/split.json',
} as const;

export interface TorchPackageRequest {
  runDir?: string;
  project?: Project;
  projectPath?: string;
  outDir: string;
  seed?: number;
}

export interface TorchPackageSource {
  weights: 'trained' | 'seeded' | 'imported';
  seed: number;
  /** The project file the data paths resolve against, when known. */
  projectPath?: string;
  netwrightVersion: string;
}

export interface TorchPackageOutcome {
  dir: string;
  weights: 'trained' | 'seeded' | 'imported';
  seed: number;
  className: string;
  parameters: number;
  samples: { train: number; validation: number; test: number };
}

const invalid = (message: string, problems?: ExportProblem[]) =>
  new EngineError({
    code: 'invalid',
    message,
    problems: problems?.map((p) => ({ path: p.nodeId ?? '', message: p.message })),
  });

interface Source {
  project: Project;
  projectDir: string;
  projectPath?: string;
  model: tfjs.LayersModel;
  inspection: InspectResult;
  weights: 'trained' | 'seeded' | 'imported';
  seed: number;
  prep?: Preprocessing;
}

async function sourceOf(tf: typeof tfjs, req: TorchPackageRequest): Promise<Source> {
  if (req.runDir) {
    const run = await openRun(req.runDir);
    const inspection = inspectGraph(run.project.graph);
    // Refuse before loading weights: the graph decides whether there is anything to write.
    preflightOrThrow(run.project, inspection);
    const model = await loadRunModel(tf, run);
    return {
      project: run.project,
      projectDir: run.projectDir,
      projectPath: run.info.projectPath,
      model,
      inspection,
      weights: 'trained',
      seed: run.info.seed,
      prep: run.prep,
    };
  }
  if (!req.project) throw invalid('Nothing to export from: give a run folder or a project.');
  const project = req.project;
  const seed = req.seed ?? project.training?.seed ?? 42;
  const inspection = inspectGraph(project.graph);
  preflightOrThrow(project, inspection);
  const start = await startWeightsOf(project, req.projectPath);
  let compiled;
  try {
    // Where `netwright train` starts: the project's weights file where it has one, the seed for the rest.
    compiled = compileWithStart(tf, project.graph, seed, start);
  } catch (err) {
    if (err instanceof CompileError) throw invalid(`The project graph is not valid: ${err.message}`);
    throw err;
  }
  const projectPath = req.projectPath ? path.resolve(req.projectPath) : undefined;
  return {
    project,
    projectDir: projectPath ? path.dirname(projectPath) : process.cwd(),
    projectPath,
    model: compiled.model,
    inspection: compiled.inspection,
    weights: start ? 'imported' : 'seeded',
    seed,
  };
}

/** Every reason the package can't be written, one sentence each, before anything is. */
export function packagePreflight(project: Project, inspection: InspectResult): ExportProblem[] {
  const problems = torchPreflight(inspection);
  if (!inspection.valid) return problems;
  const outputs = inspection.nodes.filter((n) => n.type === 'Output');
  if (outputs.length !== 1)
    problems.push({
      nodeId: null,
      message: `train.py trains exactly one Output, as Netwright does; this graph has ${outputs.length}.`,
    });
  if (!project.data)
    problems.push({
      nodeId: null,
      message: 'The project has no data section, so there is nothing to train on.',
    });
  return problems;
}

function preflightOrThrow(project: Project, inspection: InspectResult): void {
  const problems = packagePreflight(project, inspection);
  if (problems.length)
    throw invalid(
      problems.length === 1
        ? problems[0].message
        : `${problems.length} parts of the project have no faithful PyTorch equivalent; nothing was written.`,
      problems,
    );
}

/** A folder that is empty, missing, or a previous package (whose output/ is kept). */
async function checkTarget(dir: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat) return;
  if (!stat.isDirectory())
    throw invalid(`${path.basename(dir)} is a file; the PyTorch package needs a folder.`);
  const names = await fs.readdir(dir);
  if (names.length && !names.includes('config.json'))
    throw invalid(
      `${path.basename(dir)} holds other files; choose a new or empty folder for the PyTorch package.`,
    );
}

async function writeSplit(dir: string, name: string, split: PackageSplit): Promise<void> {
  for (const [i, x] of split.x.entries())
    await fs.writeFile(path.join(dir, 'data', `${name}_x${i}.npy`), encodeNpy(x));
  await fs.writeFile(path.join(dir, 'data', `${name}_y.npy`), encodeNpy(split.y));
}

export async function exportTorchPackage(
  tf: typeof tfjs,
  req: TorchPackageRequest,
): Promise<TorchPackageOutcome> {
  const source = await sourceOf(tf, req);
  const dir = path.resolve(req.outDir);
  try {
    await checkTarget(dir);
    const { project, inspection } = source;
    const data = await packageData(project, source.projectDir, source.seed, source.prep);
    const settings = resolveTrainingSettings(project, { seed: source.seed });
    const output = inspection.nodes.find((n) => n.type === 'Output')!;
    const loss = String(output.params.loss ?? 'meanSquaredError') as LossName;

    // A previous package's weights and data are replaced; its output/ (trained results) is kept.
    await fs.rm(path.join(dir, 'weights'), { recursive: true, force: true });
    await fs.rm(path.join(dir, 'data'), { recursive: true, force: true });
    for (const sub of ['data', 'launch', PACKAGE_META.dir])
      await fs.mkdir(path.join(dir, sub), { recursive: true });
    const frozen = new Set(project.graph.nodes.filter((n) => n.trainable === false).map((n) => n.id));
    const { className, parameters } = await writeModelFiles(
      dir,
      inspection,
      source.model,
      project.name,
      frozen,
    );
    await writeSplit(dir, 'train', data.train);
    if (data.validation) await writeSplit(dir, 'validation', data.validation);
    await writeSplit(dir, 'test', data.test);

    const samples = {
      train: data.train.y.shape[0],
      validation: data.validation?.y.shape[0] ?? 0,
      test: data.test.y.shape[0],
    };
    const config = {
      name: project.name,
      className,
      loss,
      metric: metricNameFor(loss),
      optimizer: {
        type: settings.optimizer.type,
        learningRate: settings.optimizer.learningRate ?? DEFAULT_LEARNING_RATE[settings.optimizer.type],
        momentum: settings.optimizer.momentum ?? null,
      },
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      seed: settings.seed,
      earlyStopping: settings.earlyStopping,
      lrSchedule: settings.lrSchedule,
      samples,
    };
    await fs.writeFile(path.join(dir, 'config.json'), json(config));
    for (const file of TEMPLATE_FILES) {
      await fs.copyFile(path.join(TEMPLATES_DIR, file), path.join(dir, file));
      if (file.endsWith('.sh') || file.endsWith('.sbatch')) await fs.chmod(path.join(dir, file), 0o755);
    }
    await fs.writeFile(
      path.join(dir, 'README.md'),
      packageReadme({ name: project.name, samples, settings, loss }),
    );
    const meta: TorchPackageSource = {
      weights: source.weights,
      seed: source.seed,
      projectPath: source.projectPath,
      netwrightVersion: await netwrightVersion(),
    };
    await fs.writeFile(path.join(dir, PACKAGE_META.project), json(project));
    await fs.writeFile(path.join(dir, PACKAGE_META.preprocessing), json(data.prep));
    await fs.writeFile(path.join(dir, PACKAGE_META.source), json(meta));
    await fs.writeFile(path.join(dir, PACKAGE_META.split), json(data.split));
    return { dir, weights: source.weights, seed: source.seed, className, parameters, samples };
  } finally {
    source.model.dispose();
  }
}
