// NaN = NaN is not agreement: a model whose outputs are NaN in both tfjs and ONNX (here every weight
// is NaN, as after a diverged training) must fail the parity checks, the network's and the deployment
// model's, with one sentence that says why, and `exportModel` must write no file.
import { describe, expect, it } from 'vitest';
import { tf } from './harness.ts';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import type { Preprocessing } from '../../engine/data/types.ts';
import { loadExample } from '../../engine/examples.ts';
import { checkParity } from '../../engine/export/parity.ts';
import { parityInputs } from '../../engine/export/parity-inputs.ts';
import { checkPipelineParity } from '../../engine/export/pipeline-parity.ts';
import { layerWeights } from '../../engine/export/tfjs-weights.ts';
import { buildOnnxModel } from '../../engine/onnx/build-model.ts';
import { buildPipelineModel } from '../../engine/onnx/pipeline/compose.ts';

const columns = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const prep: Preprocessing = {
  version: 1,
  task: 'classification',
  targetEncoding: 'onehot',
  classNames: ['setosa', 'versicolor', 'virginica'],
  encodings: [{ kind: 'tabular', columns: columns.map((name) => ({ name, kind: 'numeric' as const })) }],
  inputs: [
    { kind: 'standard', offset: [5.8, 3, 3.7, 1.2], scale: [0.8, 0.4, 1.7, 0.7], fill: [5.8, 3, 3.7, 1.2] },
  ],
  target: null,
};

async function nanModel() {
  const compiled = compileGraph(tf, (await loadExample('iris-mlp')).graph);
  compiled.model.setWeights(compiled.model.getWeights().map((w) => tf.fill(w.shape, NaN)));
  const built = buildOnnxModel({
    inspection: compiled.inspection,
    weightsOf: (id) => layerWeights(compiled.model, id),
    opset: 17,
    name: 'nan',
    producerVersion: 'test',
  });
  return { compiled, built };
}

describe('parity with NaN outputs', () => {
  it('the network check fails with one sentence when both sides give NaN', async () => {
    const { compiled, built } = await nanModel();
    const parity = await checkParity({
      tf,
      model: compiled.model,
      onnxBytes: built.bytes,
      inputs: parityInputs(compiled.inspection),
      outputs: ['out'],
    });
    expect(parity.passed).toBe(false);
    expect(parity.problem).toBe(
      `Output "out" is NaN in ONNX and NaN in tfjs; a value that is not a finite number can't be checked.`,
    );
  });

  it('the deployment check fails too, naming the output and the sample', async () => {
    const { compiled, built } = await nanModel();
    const pipeline = buildPipelineModel({
      network: built.bytes,
      networkInputs: built.inputs,
      networkOutputs: built.outputs,
      prep,
      opset: 17,
      version: 'test',
    });
    const parity = await checkPipelineParity({
      tf,
      model: compiled.model,
      prep,
      onnxBytes: pipeline.bytes,
      rawX: [{ data: Float32Array.from([5.1, 3.5, 1.4, 0.2, 6.7, 3, 5.2, 2.3]), shape: [2, 4] }],
    });
    expect(parity.passed).toBe(false);
    expect(parity.problem).toMatch(/^Output "probabilities" is NaN in ONNX and NaN in tfjs for sample 1; /);
  });
});
