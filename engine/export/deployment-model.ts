// The deployment ONNX model of a trained run: the checked network wrapped with the run's
// preprocessing and decoding (engine/onnx/pipeline/), then checked as a whole against `predict` on
// raw samples of the run's test split (seeded raw samples when its data can't be loaded again).
import type * as tfjs from '@tensorflow/tfjs';
import { EngineError, type DeploymentSummary } from '../api.ts';
import type { OnnxBuildResult } from '../onnx/build-model.ts';
import { buildPipelineModel, PipelineError } from '../onnx/pipeline/compose.ts';
import { describeInputs } from '../onnx/pipeline/metadata.ts';
import { readRunFile } from '../runs/run-dir.ts';
import { checkPipelineParity } from './pipeline-parity.ts';
import { seededRawInputs, withBlankRow } from './pipeline-feeds.ts';
import type { TensorData } from '../data/types.ts';
import type { OpenedRun } from '../runs/load-run.ts';

export async function deploymentModel(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  network: OnnxBuildResult,
  run: OpenedRun,
  /** Raw test samples of the run, when its data could be loaded again. */
  raw: TensorData[] | undefined,
  opts: { opset: number; version: string; seed: number },
): Promise<{ summary: DeploymentSummary; bytes: Uint8Array }> {
  const { prep, dir } = run;
  const metrics = await readRunFile<unknown>(dir, 'metrics').catch(() => undefined);
  let built;
  try {
    built = buildPipelineModel({
      network: network.bytes,
      networkInputs: network.inputs,
      networkOutputs: network.outputs,
      prep,
      opset: opts.opset,
      version: opts.version,
      metrics,
    });
  } catch (err) {
    if (err instanceof PipelineError) throw new EngineError({ code: 'invalid', message: err.message });
    throw err;
  }
  const rawX = withBlankRow(prep, raw ?? seededRawInputs(prep, opts.seed));
  const parity = await checkPipelineParity({ tf, model, prep, onnxBytes: built.bytes, rawX });
  return {
    bytes: built.bytes,
    summary: {
      inputs: built.inputs.map(({ name, type, shape }) => ({ name, type, shape })),
      outputs: built.outputs.map(({ name, type, shape }) => ({ name, type, shape })),
      inputsDescription: describeInputs(built.inputs),
      parity,
    },
  };
}
