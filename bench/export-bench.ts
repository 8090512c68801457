// Export speed on a 10-million-parameter model (target: under 2 s for the ONNX file). Prints
// figures; not a timed test. Run: npm run bench:export
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../engine/backend.ts';
import { compileGraph } from '../engine/compile/tfjs-model.ts';
import { checkParity } from '../engine/export/parity.ts';
import { parityInputs } from '../engine/export/parity-inputs.ts';
import { layerWeights } from '../engine/export/tfjs-weights.ts';
import { buildOnnxModel } from '../engine/onnx/build-model.ts';
import { writeFileAtomic } from '../engine/project/files.ts';
import type { Graph } from '../engine/project/schema.ts';

// The backend `netwright export` picks (it runs the tfjs side of the parity check).
const backend = await selectBackend('auto');
const { tf } = backend;

// A conv stem, then Dense 1600 → 1900 → 1900 → 1900 → 10: 10.3 M parameters.
const layers: [string, Record<string, unknown>][] = [
  ['Reshape', { targetShape: [10, 10, 10] }],
  ['Conv2D', { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }],
  ['Flatten', {}],
  ['Dense', { units: 1900, activation: 'relu' }],
  ['Dense', { units: 1900, activation: 'relu' }],
  ['Dense', { units: 1900, activation: 'relu' }],
  ['Dense', { units: 10, activation: 'softmax' }],
];
const nodes = [
  { id: 'in', type: 'Input', params: { shape: [1000] } },
  ...layers.map(([type, params], i) => ({ id: `l${i}`, type, params })),
  { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' } },
];
const graph: Graph = {
  nodes,
  edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id })),
};

const compiled = compileGraph(tf, graph);
const params = compiled.model.countParams();
const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-export-bench-'));
const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

console.log(
  `Model: ${(params / 1e6).toFixed(2)} M parameters, ${nodes.length} nodes (tfjs backend: ${backend.label}; ${os.cpus().length} CPUs)`,
);
for (let round = 1; round <= 3; round++) {
  const t0 = performance.now();
  const built = buildOnnxModel({
    inspection: compiled.inspection,
    weightsOf: (id) => layerWeights(compiled.model, id),
    opset: 17,
    name: 'bench',
    producerVersion: 'bench',
  });
  const tBuilt = performance.now() - t0;
  const file = path.join(dir, 'model.onnx');
  await writeFileAtomic(file, built.bytes);
  const tWritten = performance.now() - t0;
  const t1 = performance.now();
  const parity = await checkParity({
    tf,
    model: compiled.model,
    onnxBytes: built.bytes,
    inputs: parityInputs(compiled.inspection),
    outputs: built.outputs.map((o) => o.name),
  });
  console.log(
    `round ${round}: ONNX built ${tBuilt.toFixed(0)} ms, + written ${tWritten.toFixed(0)} ms ` +
      `(${(built.bytes.byteLength / 2 ** 20).toFixed(1)} MB); parity check ${ms(t1)} ` +
      `(max abs diff ${parity.maxAbsDiff.toExponential(2)}, ${parity.passed ? 'passed' : 'FAILED'}); whole export ${ms(t0)}`,
  );
}
rmSync(dir, { recursive: true, force: true });
