// `netwright import` and EngineApi.importModel: a model file (ONNX, or tfjs layers model.json) → a
// project with its weights file beside it. ONNX imports are run against the source file first
// (verify-onnx.ts); nothing is written unless the whole model imported and agrees.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { inspectGraph } from '../graph/inspect.ts';
import { projectFromJson } from '../project/load.ts';
import { writeFileAtomic, writeProjectFile } from '../project/files.ts';
import { CURRENT_VERSION, type Project } from '../project/schema.ts';
import { encodeWeights, weightsFileFor } from '../weights/weights-file.ts';
import { ImportError, unreadableModel, type ImportedModel } from './import-types.ts';
import { layoutGraph } from './layout.ts';
import { importOnnx } from './onnx/import-onnx.ts';
import { importTfjs } from './tfjs/import-tfjs.ts';
import { verifyOnnxImport } from './verify-onnx.ts';
import type { ImportParity } from './verify-import.ts';

export interface ImportOutcome {
  format: 'onnx' | 'tfjs';
  projectPath: string;
  weightsFile: string;
  nodes: number;
  totalParams: number;
  /** The source model against the imported graph. */
  parity: ImportParity;
}

const MAX_MODEL_BYTES = 512 * 1024 * 1024;

async function readModelBytes(file: string): Promise<Uint8Array> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) throw unreadableModel('the file does not exist');
  if (stat.isDirectory()) throw unreadableModel('it is a folder; give the .onnx file or the model.json');
  if (stat.size > MAX_MODEL_BYTES) throw unreadableModel('the file is larger than 512 MB');
  return new Uint8Array(await fs.readFile(file));
}

/** The model in `file` as a graph with weights, before layout and writing (tests use it directly). */
export async function readModel(
  tf: typeof tfjs,
  file: string,
): Promise<{ model: ImportedModel; format: 'onnx' | 'tfjs'; bytes: Uint8Array }> {
  const bytes = await readModelBytes(file);
  const base = path.basename(file).replace(/\.(onnx|json)$/i, '');
  if (/\.json$/i.test(file)) return { model: await importTfjs(tf, file, bytes), format: 'tfjs', bytes };
  return { model: importOnnx(bytes, base), format: 'onnx', bytes };
}

export async function importModel(
  tf: typeof tfjs,
  req: { file: string; outProject: string },
): Promise<ImportOutcome> {
  const { model, format, bytes } = await readModel(tf, req.file);
  const parity: ImportParity = model.parity ?? (await verifyOnnxImport(tf, model, bytes));
  if (!parity.passed)
    throw new ImportError([
      {
        op: 'model',
        node: path.basename(req.file),
        why: `the imported graph does not compute what the source model computes (max abs diff ${parity.maxAbsDiff.toExponential(2)}), so nothing was written; please report this with the model`,
      },
    ]);
  const graph = await layoutGraph(model.graph);
  const weightsFile = weightsFileFor(req.outProject);
  const { ref, bytes: weightBytes } = encodeWeights(model.weights, weightsFile);
  const doc: Project = {
    format: 'netwright',
    version: CURRENT_VERSION,
    name: model.name,
    importedFrom: path.basename(req.file),
    graph,
    training: { optimizer: { type: 'adam', learningRate: 0.001 }, epochs: 10, batchSize: 32 },
    weights: ref,
  };
  const checked = projectFromJson(doc);
  if (!checked.ok) throw new Error(`the imported project is not valid: ${checked.problems[0].message}`);
  const inspection = inspectGraph(checked.project.graph);
  await writeFileAtomic(path.join(path.dirname(path.resolve(req.outProject)), weightsFile), weightBytes);
  await writeProjectFile(req.outProject, checked.project);
  return {
    format,
    projectPath: req.outProject,
    weightsFile,
    nodes: graph.nodes.length,
    totalParams: inspection.totalParams,
    parity,
  };
}
