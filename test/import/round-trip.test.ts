// Netwright's own ONNX export, imported again: the same graph (ids, types, params, edges), the same
// weights, and the same function to 1e-5 — over the bundled examples, which cover dense, conv, pooling,
// recurrent, two-input and branching graphs. (Dropout is the identity at inference and is not in the
// ONNX file, so examples with Dropout are left out.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import { exportModel } from '../../engine/export/export-model.ts';
import { layerWeights } from '../../engine/export/tfjs-weights.ts';
import { inspectGraph } from '../../engine/graph/inspect.ts';
import { importOnnx } from '../../engine/import/onnx/import-onnx.ts';
import { verifyOnnxImport } from '../../engine/import/verify-onnx.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { projectFromText } from '../../engine/project/load.ts';
import { mulberry32, withRandom } from '../../engine/random.ts';
import { weightName } from '../../engine/weights/named-weights.ts';
import { ROOT } from '../cli/run-cli.ts';
import { freshDir } from './helpers.ts';

await tf.setBackend('cpu');

const EXAMPLES = [
  'iris-mlp',
  'iris-two-inputs',
  'credit-risk-mlp',
  'defect-cnn',
  'textbook-cnn',
  'bearing-conv1d',
  'textbook-rnn',
];

const edgesOf = (g: Graph) => g.edges.map((e) => `${e.source}->${e.target}:${e.port ?? 'in'}`).sort();

describe('Netwright ONNX export → import', () => {
  it.each(EXAMPLES)('%s comes back as the same graph with the same weights', async (name) => {
    const file = path.join(ROOT, 'resources/examples', `${name}.netwright.json`);
    const loaded = projectFromText(readFileSync(file, 'utf8')); // v1 files, migrated
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const project = loaded.project;
    expect(project.graph.nodes.some((n) => n.type === 'Dropout')).toBe(false);
    const onnxPath = path.join(freshDir(), `${name}.onnx`);
    const seed = 11;
    await exportModel(tf, { project, projectPath: file, onnxPath, seed });
    const bytes = new Uint8Array(readFileSync(onnxPath));
    const imported = importOnnx(bytes, name);

    const before = inspectGraph(project.graph);
    const after = inspectGraph(imported.graph);
    expect(after.nodes.map((n) => [n.id, n.type, n.params])).toEqual(
      before.nodes.map((n) => [n.id, n.type, n.params]),
    );
    expect(edgesOf(imported.graph)).toEqual(edgesOf(project.graph));

    // The exporter's weights: the project compiled with the same seed.
    const original = withRandom(mulberry32(seed), () => compileGraph(tf, project.graph));
    let compared = 0;
    for (const id of original.layerOf.keys()) {
      for (const [short, w] of layerWeights(original.model, id)) {
        const back = imported.weights.get(weightName(id, short));
        expect(back, `${id}/${short}`).toBeDefined();
        expect(back!.shape).toEqual(w.shape);
        expect(back!.data, `${id}/${short}`).toEqual(w.data);
        compared++;
      }
    }
    expect(compared).toBe(original.model.weights.length);
    original.model.dispose();

    const parity = await verifyOnnxImport(tf, imported, bytes);
    expect(parity.passed).toBe(true);
    expect(parity.maxAbsDiff).toBeLessThanOrEqual(1e-5);
  });
});
