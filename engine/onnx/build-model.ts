// Build an ONNX ModelProto from a validated graph and the trained weights of its tfjs model. The ONNX
// model takes and returns tensors in the tfjs layout (NHWC images), named after the Input and Output
// node ids, with a symbolic batch dimension.
import type { InspectResult } from '../graph/inspect.ts';
import type { Shape } from '../layers/types.ts';
import type { EmitContext, OnnxValue, WeightTensor } from './emitter-types.ts';
import { onnxEmitterFor } from './emitter-registry.ts';
import { GraphBuilder } from './graph-builder.ts';
import { identityPerm } from './layout.ts';
import { liveNodes } from '../graph/live-nodes.ts';
import { irVersionFor } from './opsets.ts';
import { onnxPreflight, type ExportProblem } from './preflight.ts';
import { onnx, FLOAT, type OnnxTypes } from './proto.ts';

export interface OnnxBuildInput {
  inspection: InspectResult;
  /** The weights of a node's tfjs layer by short name (kernel, bias, …). */
  weightsOf(nodeId: string): Map<string, WeightTensor>;
  opset: number;
  /** Model (graph) name, e.g. the project name. */
  name: string;
  description?: string;
  producerVersion: string;
}

export interface OnnxBuildResult {
  bytes: Uint8Array;
  inputs: { name: string; shape: Shape }[];
  outputs: { name: string; shape: Shape }[];
  nodeCount: number;
}

/** Why the model can't be built; `problems` holds the pre-flight findings when those are the cause. */
export class OnnxExportError extends Error {
  constructor(
    message: string,
    readonly problems: ExportProblem[] = [],
  ) {
    super(message);
  }
}

function valueInfo(name: string, shape: Shape, doc: string): OnnxTypes.IValueInfoProto {
  const dim = [
    { dimParam: 'batch' },
    ...shape.map((d, i) => (d === null ? { dimParam: `${name}_${i + 1}` } : { dimValue: d })),
  ];
  return { name, docString: doc, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}

export function buildOnnxModel(input: OnnxBuildInput): OnnxBuildResult {
  const problems = onnxPreflight(input.inspection, input.opset);
  if (problems.length) {
    const list = problems.map((p) => (p.nodeId ? `${p.nodeId}: ${p.message}` : p.message));
    const one = problems.length === 1;
    throw new OnnxExportError(
      `${problems.length} problem${one ? '' : 's'} prevent${one ? 's' : ''} the ONNX export: ${list.join(' ')}`,
      problems,
    );
  }
  const nodes = liveNodes(input.inspection);
  const b = new GraphBuilder();
  const values = new Map<string, OnnxValue>();
  const shapes = new Map(nodes.map((n) => [n.id, (n.outputShape ?? []).slice(1) as Shape]));
  const shapeOf = (id: string): Shape => shapes.get(id)!;
  const graphInputs: OnnxBuildResult['inputs'] = [];
  const graphOutputs: OnnxBuildResult['outputs'] = [];
  for (const n of nodes) if (n.type === 'Input' || n.type === 'Output') b.reserve(n.id);

  for (const n of nodes) {
    const doc = `${n.type} "${n.id}"`;
    if (n.type === 'Input') {
      const shape = shapeOf(n.id);
      values.set(n.id, { name: n.id, perm: identityPerm(shape.length + 1) });
      graphInputs.push({ name: n.id, shape });
      continue;
    }
    const sources = n.inputs.map((s) => values.get(s)!);
    if (n.type === 'Output') {
      const source = sources[0];
      b.node(n.id, 'Identity', [b.inLayout(source, identityPerm(source.perm.length))], {}, 1, doc, [n.id]);
      graphOutputs.push({ name: n.id, shape: shapeOf(n.id) });
      continue;
    }
    let weights: Map<string, WeightTensor> | null = null;
    const ctx: EmitContext = {
      opset: input.opset,
      nodeId: n.id,
      params: n.params,
      inputShapes: n.inputs.map(shapeOf),
      outputShape: shapeOf(n.id),
      input: (i, perm) => b.inLayout(sources[i], perm ?? identityPerm(sources[i].perm.length)),
      storedInput: (i) => sources[i],
      weight(name) {
        weights ??= input.weightsOf(n.id);
        const w = weights.get(name);
        if (!w)
          throw new OnnxExportError(
            `${n.id}: the tfjs layer has no "${name}" weight (it has ${[...weights.keys()].join(', ') || 'none'}).`,
          );
        return w;
      },
      hasWeight(name) {
        weights ??= input.weightsOf(n.id);
        return weights.has(name);
      },
      node: (opType, inputs, attrs, outputs = 1) => b.node(n.id, opType, inputs, attrs, outputs, doc),
      op: (opType, inputs, attrs) => b.node(n.id, opType, inputs, attrs, 1, doc)[0],
      floatConst: (label, data, dims) => b.floatConst(n.id, label, data, dims),
      intConst: (label, data, dims) => b.intConst(n.id, label, data, dims),
    };
    const out = onnxEmitterFor(n.type)!.emit(ctx);
    values.set(
      n.id,
      typeof out === 'string' ? { name: out, perm: identityPerm(n.outputShape!.length) } : out,
    );
  }

  const model: OnnxTypes.IModelProto = {
    irVersion: irVersionFor(input.opset),
    opsetImport: [{ domain: '', version: input.opset }],
    producerName: 'Netwright',
    producerVersion: input.producerVersion,
    modelVersion: 1,
    docString: input.description ?? `${input.name}, exported by Netwright.`,
    metadataProps: [
      {
        key: 'netwright.layout',
        value: 'Inputs and outputs use the tfjs layout: images are NHWC, sequences [batch, steps, features].',
      },
    ],
    graph: {
      name: input.name,
      docString: input.description,
      node: b.nodes,
      initializer: b.initializers,
      input: graphInputs.map((x) => valueInfo(x.name, x.shape, `Input "${x.name}"`)),
      output: graphOutputs.map((x) => valueInfo(x.name, x.shape, `Output "${x.name}"`)),
    },
  };
  const bytes = onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  return { bytes, inputs: graphInputs, outputs: graphOutputs, nodeCount: b.nodes.length };
}
