// `netwright export` and EngineApi.exportModel: a trained run (model/ + project.netwright.json) or a
// never-trained project (weights initialised from the seed, exactly as training would start) to an
// ONNX file and/or the tfjs layers format. Every ONNX export passes the pre-flight check first and is
// run in onnxruntime-node against the tfjs model before the file is written: a file that does not
// compute the same function is not written.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { EngineError, type ExportRequest, type ExportResult } from '../api.ts';
import { CompileError } from '../compile/tfjs-model.ts';
import { inspectGraph, type InspectResult } from '../graph/inspect.ts';
import { loadLayersModel, saveLayersModel } from '../io/tfjs-files.ts';
import { buildOnnxModel, OnnxExportError } from '../onnx/build-model.ts';
import { DEFAULT_OPSET, opsetProblem } from '../onnx/opsets.ts';
import type { ExportProblem } from '../onnx/preflight.ts';
import { readProjectFile, writeFileAtomic } from '../project/files.ts';
import type { Project } from '../project/schema.ts';
import { json, RUN_FILES } from '../runs/run-dir.ts';
import { openRunOf } from '../runs/load-run.ts';
import { tfjsExportReadme } from './tfjs-readme.ts';
import { checkParity, type ParityResult } from './parity.ts';
import { parityInputs } from './parity-inputs.ts';
import { realSamplesOfRun, type RunSamples } from './real-samples.ts';
import { deploymentModel } from './deployment-model.ts';
import { layerWeights } from './tfjs-weights.ts';
import { netwrightVersion } from '../version.ts';
import { startWeightsOf } from '../weights/start-weights.ts';
import { compileWithStart, type StartWeights } from '../train/trainable-model.ts';

export const DEFAULT_SEED = 42;

export interface ExportOutcome extends ExportResult {
  parity?: ParityResult;
  /** Where the real samples of the parity check came from, or why there were none (trained runs). */
  realSamplesSource?: string;
  realSamplesNote?: string;
  /** The ONNX opset written. */
  opset?: number;
  /** Where the weights came from: a run, the project's weights file (and the seed for the rest), the seed. */
  weights: 'trained' | 'imported' | 'seeded';
  seed?: number;
}

interface ModelSource {
  project: Project;
  model: tfjs.LayersModel;
  inspection: InspectResult;
  weights: 'trained' | 'imported' | 'seeded';
  seed?: number;
}

const invalid = (message: string, problems?: ExportProblem[]) =>
  new EngineError({
    code: 'invalid',
    message,
    problems: problems?.map((p) => ({ path: p.nodeId ?? '', message: p.message })),
  });

async function fromRunDir(tf: typeof tfjs, runDir: string): Promise<ModelSource> {
  const projectFile = path.join(runDir, RUN_FILES.project);
  const read = await readProjectFile(projectFile);
  if (!read.ok) {
    if ('unreadable' in read)
      throw new EngineError({
        code: 'not-found',
        message: `${runDir} is not a run folder: ${read.unreadable}`,
      });
    throw invalid(`${projectFile} is not a valid project: ${read.problems[0].message}`);
  }
  const inspection = inspectGraph(read.project.graph);
  if (!inspection.valid)
    throw invalid(
      `The run's project graph is not valid: ${inspection.diagnostics.find((d) => d.severity === 'error')!.message}`,
    );
  let model: tfjs.LayersModel;
  try {
    model = await loadLayersModel(tf, path.join(runDir, RUN_FILES.model));
  } catch (err) {
    throw new EngineError({
      code: 'unreadable',
      message: `${path.join(runDir, RUN_FILES.model, 'model.json')} could not be loaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`,
    });
  }
  return { project: read.project, model, inspection, weights: 'trained' };
}

function fromProject(
  tf: typeof tfjs,
  project: Project,
  seed: number,
  start: StartWeights | null,
): ModelSource {
  try {
    // The same initialisation as `netwright train` with this seed: the project's weights file where it
    // has one, the seed for the rest.
    const compiled = compileWithStart(tf, project.graph, seed, start);
    return {
      project,
      model: compiled.model,
      inspection: compiled.inspection,
      weights: start ? 'imported' : 'seeded',
      seed,
    };
  } catch (err) {
    if (err instanceof CompileError) {
      throw invalid(
        `The project graph is not valid: ${err.message}`,
        err.inspection.diagnostics.filter((d) => d.severity === 'error'),
      );
    }
    throw err;
  }
}

export async function exportModel(tf: typeof tfjs, req: ExportRequest): Promise<ExportOutcome> {
  if (!req.onnxPath && !req.tfjsDir)
    throw invalid('Nothing to export: name an ONNX file, a tfjs folder, or both.');
  const opset = req.opset ?? DEFAULT_OPSET;
  const badOpset = opsetProblem(opset);
  if (req.onnxPath && badOpset) throw invalid(badOpset);

  let source: ModelSource;
  if (req.runDir) source = await fromRunDir(tf, req.runDir);
  else if (req.project)
    source = fromProject(
      tf,
      req.project,
      req.seed ?? req.project.training?.seed ?? DEFAULT_SEED,
      await startWeightsOf(req.project, req.projectPath),
    );
  else throw invalid('Nothing to export from: give a run folder or a project.');

  const { project, model, inspection } = source;
  const outcome: ExportOutcome = { weights: source.weights, seed: source.seed };
  try {
    if (req.onnxPath) {
      const description = (project as { description?: unknown }).description;
      const version = await netwrightVersion();
      let built;
      try {
        // Runs the pre-flight check first: nothing is built (or written) when a node can't be exported.
        built = buildOnnxModel({
          inspection,
          weightsOf: (id) => layerWeights(model, id),
          opset,
          name: project.name,
          description: typeof description === 'string' ? description : undefined,
          producerVersion: version,
        });
      } catch (err) {
        if (err instanceof OnnxExportError && err.problems.length) throw invalid(err.message, err.problems);
        throw err;
      }
      outcome.opset = opset;
      const inputs = parityInputs(inspection);
      const real: RunSamples = req.runDir
        ? await realSamplesOfRun(
            req.runDir,
            project,
            inputs.map((i) => i.name),
          )
        : {};
      outcome.realSamplesSource = real.samples?.source;
      outcome.realSamplesNote = real.note;
      outcome.parity = await checkParity({
        tf,
        model,
        onnxBytes: built.bytes,
        inputs,
        realSamples: real.samples,
        outputs: built.outputs.map((o) => o.name),
        seed: req.seed ?? DEFAULT_SEED,
      });
      let bytes: Uint8Array | null = outcome.parity.passed ? built.bytes : null;
      if (bytes && !req.bare) {
        if (!req.runDir)
          outcome.networkOnlyReason = 'the project was never trained, so it has no preprocessing';
        else if (!real.run) outcome.networkOnlyReason = `the run has no preprocessing (${real.note})`;
        else {
          const deployment = await deploymentModel(tf, model, built, real.run, real.raw, {
            opset,
            version,
            seed: req.seed ?? DEFAULT_SEED,
          });
          outcome.deployment = deployment.summary;
          bytes = deployment.summary.parity.passed ? deployment.bytes : null;
        }
      }
      if (bytes) {
        await fs.mkdir(path.dirname(path.resolve(req.onnxPath)), { recursive: true });
        await writeFileAtomic(req.onnxPath, bytes);
        outcome.onnxPath = req.onnxPath;
        outcome.onnxBytes = bytes.byteLength;
      }
    }
    if (req.tfjsDir) {
      // A trained run's preprocessing travels with the tfjs model, with a README on applying it.
      const prep = req.runDir
        ? await openRunOf(req.runDir, project).then(
            (r) => r.prep,
            () => null,
          )
        : null;
      const extra = prep
        ? {
            'preprocessing.json': json(prep),
            'README.md': tfjsExportReadme(project.name, await netwrightVersion(), prep),
          }
        : {};
      await saveLayersModel(tf, model, req.tfjsDir, extra);
      outcome.tfjsDir = req.tfjsDir;
    }
  } finally {
    model.dispose();
  }
  return outcome;
}
