// Shared by the ONNX tests: build a graph, compile it with real tfjs, give every weight random values
// (biases and BatchNorm statistics too, so no part of an emitter hides behind zeros or ones), export
// it, run the parity check in onnxruntime-node, keep the file for the official ONNX checker.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compileGraph } from '../../engine/compile/tfjs-model.ts';
import type { Graph } from '../../engine/project/schema.ts';
import { getLayer } from '../../engine/layers/registry.ts';
import { portAt } from '../../engine/layers/ports.ts';
import { buildOnnxModel } from '../../engine/onnx/build-model.ts';
import { DEFAULT_OPSET } from '../../engine/onnx/opsets.ts';
import { checkParity, type ParityResult } from '../../engine/export/parity.ts';
import { layerWeights } from '../../engine/export/tfjs-weights.ts';
import { parityInputs } from '../../engine/export/parity-inputs.ts';
import { mulberry32 } from '../../engine/random.ts';

await tf.setBackend('cpu');
export { tf };

export type LayerDef = [type: string, params?: Record<string, unknown>];

/** Input → layers… → Output, node ids n1, n2, …. */
export function chain(inputShape: number[], ...layers: LayerDef[]): Graph {
  const nodes = [
    { id: 'x', type: 'Input', params: { shape: inputShape } },
    ...layers.map(([type, params], i) => ({ id: `n${i + 1}`, type, params: params ?? {} })),
    { id: 'y', type: 'Output', params: { loss: 'meanSquaredError' } },
  ];
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
  return { nodes, edges };
}

/** A DAG from a compact description: node id → [type, params, inputs]; the input node is `x`. */
export function dag(
  inputShape: number[],
  nodes: Record<string, [string, Record<string, unknown>, string[]]>,
): Graph {
  const graphNodes = [{ id: 'x', type: 'Input', params: { shape: inputShape } }];
  const edges: Graph['edges'] = [];
  for (const [id, [type, params, inputs]] of Object.entries(nodes)) {
    graphNodes.push({ id, type, params } as never);
    inputs.forEach((source, port) =>
      edges.push({ id: `${source}->${id}`, source, target: id, port: portAt(getLayer(type)!, port) }),
    );
  }
  return { nodes: graphNodes, edges };
}

/** Random weights from a seeded generator: kernels/biases uniform ±0.5, variances in [0.5, 1.5]. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rng = mulberry32(seed);
  const values = model.weights.map((w) => {
    const n = w.shape.reduce((a: number, b) => a * (b as number), 1);
    const data = new Float32Array(n);
    const variance = w.originalName.endsWith('moving_variance');
    for (let i = 0; i < n; i++) data[i] = variance ? 0.5 + rng() : rng() - 0.5;
    return tf.tensor(data, w.shape as number[]);
  });
  model.setWeights(values);
  values.forEach((t) => t.dispose());
}

export const exportDir = mkdtempSync(path.join(os.tmpdir(), 'nw-onnx-test-'));
const exported: { file: string; opset: number }[] = [];
/** The newest opset the checker here (Debian's python3-onnx 1.12) knows. */
export const CHECKER_MAX_OPSET = 17;
let fileCounter = 0;

export interface ExportCheck extends ParityResult {
  file: string;
  bytes: Uint8Array;
  nodeCount: number;
  opTypes: string[];
}

export async function exportWithParity(
  graph: Graph,
  opts: { opset?: number; seed?: number; label?: string } = {},
): Promise<ExportCheck> {
  const compiled = compileGraph(tf, graph);
  randomizeWeights(compiled.model, opts.seed ?? 7);
  const built = buildOnnxModel({
    inspection: compiled.inspection,
    weightsOf: (id) => layerWeights(compiled.model, id),
    opset: opts.opset ?? DEFAULT_OPSET,
    name: opts.label ?? 'test',
    producerVersion: 'test',
  });
  const parity = await checkParity({
    tf,
    model: compiled.model,
    onnxBytes: built.bytes,
    inputs: parityInputs(compiled.inspection),
    outputs: built.outputs.map((o) => o.name),
    samples: 3,
  });
  compiled.model.dispose();
  const file = path.join(
    exportDir,
    `${String(++fileCounter).padStart(3, '0')}-${(opts.label ?? 'model').replace(/[^\w.-]+/g, '_')}.onnx`,
  );
  writeFileSync(file, built.bytes);
  exported.push({ file, opset: opts.opset ?? DEFAULT_OPSET });
  const { onnx } = await import('../../engine/onnx/proto.ts');
  const opTypes = onnx.ModelProto.decode(built.bytes).graph!.node!.map((n) => n.opType!);
  return { ...parity, file, bytes: built.bytes, nodeCount: built.nodeCount, opTypes };
}

/** Runs the official checker (onnx.checker.check_model, full_check) over files; returns file → error. */
export function onnxCheckerErrors(files: string[]): Record<string, string> {
  if (!files.length) return {};
  const listFile = path.join(exportDir, `list-${Date.now()}.txt`);
  writeFileSync(listFile, files.join('\n'));
  const script = [
    'import json, sys, onnx',
    'errors = {}',
    'for f in open(sys.argv[1]).read().split("\\n"):',
    '    try:',
    '        onnx.checker.check_model(onnx.load(f), full_check=True)',
    '    except Exception as e:',
    '        errors[f] = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__',
    'print(json.dumps(errors))',
  ].join('\n');
  const out = execFileSync('/usr/bin/python3', ['-c', script, listFile], { encoding: 'utf8' });
  return JSON.parse(out) as Record<string, string>;
}

/** Files exported so far at an opset the checker knows (newer ones are checked by onnxruntime only). */
export const exportedFiles = (): string[] =>
  exported.filter((e) => e.opset <= CHECKER_MAX_OPSET).map((e) => e.file);
