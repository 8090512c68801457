// ONNX → an editable Netwright graph with weights. Nodes are visited in the file's (topological)
// order and handed to the handler registered for their op (handlers/index.ts); every node that can't
// be imported becomes one problem, and any problem means no model (ImportError lists them all).
import type { OnnxTypes } from '../../onnx/proto.ts';
import type { Params } from '../../layers/types.ts';
import { GraphDraft, DraftError } from '../graph-draft.ts';
import { ImportError, type ImportedModel, type ImportProblem } from '../import-types.ts';
import { OpRefusal, refuse, type ImportContext, type OnnxNodeView } from './handler-types.ts';
import { onnxHandler } from './handlers/index.ts';
import { Attributes, decodeModel, decodeTensor } from './onnx-model.ts';
import { channelsFirstPerm, identityPerm, timeMajorPerm, type TensorValue, type Value } from './values.ts';

const CHANNELS_FIRST_READERS = new Set([
  'Conv',
  'ConvTranspose',
  'Pad',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'BatchNormalization',
]);
const TIME_MAJOR_READERS = new Set(['LSTM', 'GRU', 'RNN']);
const FLOAT = 1;

/** An input whose producer failed: the node is skipped without a second problem. */
class UpstreamFailed extends Error {}

const dimsOf = (v: OnnxTypes.IValueInfoProto): (number | null)[] =>
  (v.type?.tensorType?.shape?.dim ?? []).map((d) => {
    const n = d.dimValue === undefined || d.dimValue === null ? 0 : Number(d.dimValue);
    return n > 0 ? n : null;
  });

/** Loss of an Output from the activation that ends the model: softmax → classes, sigmoid → yes/no. */
function lossFor(draft: GraphDraft, nodeId: string): string {
  const node = draft.node(nodeId);
  const activation = node.params.activation;
  if (activation === 'softmax') return 'categoricalCrossentropy';
  if (activation === 'sigmoid') return 'binaryCrossentropy';
  return 'meanSquaredError';
}

export function importOnnx(bytes: Uint8Array, fallbackName: string): ImportedModel {
  const model = decodeModel(bytes);
  const graph = model.graph!;
  const opset = Number(
    (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 13,
  );
  const values = new Map<string, Value>();
  const failed = new Set<string>();
  for (const init of graph.initializer ?? []) {
    const t = decodeTensor(init);
    if (t && init.name) values.set(init.name, { kind: 'const', ...t });
  }
  const readers = new Map<string, number>();
  const readerOps = new Map<string, string[]>();
  for (const n of graph.node ?? [])
    for (const name of n.input ?? []) {
      if (!name) continue;
      readers.set(name, (readers.get(name) ?? 0) + 1);
      readerOps.set(name, [...(readerOps.get(name) ?? []), n.opType ?? '']);
    }
  for (const o of graph.output ?? []) if (o.name) readers.set(o.name, (readers.get(o.name) ?? 0) + 1);

  const draft = new GraphDraft();
  const problems: ImportProblem[] = [];
  const io: ImportedModel['io'] = { inputs: [], outputs: [] };

  for (const input of graph.input ?? []) {
    const name = input.name ?? '';
    if (values.has(name)) continue; // an initializer listed as an input (IR < 4)
    const dims = dimsOf(input);
    if (input.type?.tensorType?.elemType !== FLOAT) {
      problems.push({ op: 'input', node: name, why: 'only float32 inputs can be imported' });
      failed.add(name);
      continue;
    }
    if (dims.length < 2) {
      problems.push({ op: 'input', node: name, why: 'it has no batch axis and features axis' });
      failed.add(name);
      continue;
    }
    const reader = readerOps.get(name)?.[0] ?? '';
    const perm =
      CHANNELS_FIRST_READERS.has(reader) && dims.length >= 3
        ? channelsFirstPerm(dims.length)
        : TIME_MAJOR_READERS.has(reader) && dims.length === 3
          ? timeMajorPerm()
          : identityPerm(dims.length);
    const logical = new Array<number | null>(dims.length);
    perm.forEach((p, i) => (logical[p] = dims[i]));
    const shape = logical.slice(1);
    const id = draft.freshId(name, 'input');
    draft.add('Input', { shape: shape.map((d) => d ?? -1) }, [], { id, label: name });
    io.inputs.push({ node: id, name, perm });
    values.set(name, { kind: 'tensor', node: id, shape, perm });
  }

  (graph.node ?? []).forEach((n, index) => {
    const view: OnnxNodeView = {
      name: n.name || `${n.opType}_${index}`,
      opType: n.opType ?? '',
      inputs: n.input ?? [],
      outputs: n.output ?? [],
      attrs: new Attributes(n.attribute),
    };
    const handler = onnxHandler(view.opType);
    const markFailed = () => view.outputs.forEach((o) => failed.add(o));
    if (!handler) {
      problems.push({ op: view.opType, node: view.name, why: 'no Netwright layer computes this op' });
      return markFailed();
    }
    if (n.domain && n.domain !== 'ai.onnx') {
      problems.push({
        op: view.opType,
        node: view.name,
        why: `it is from the custom op domain "${n.domain}"`,
      });
      return markFailed();
    }
    let id: string | null = null;
    const ctx: ImportContext = {
      node: view,
      opset,
      value(i) {
        const name = view.inputs[i];
        if (!name) return undefined;
        if (failed.has(name)) throw new UpstreamFailed();
        return values.get(name) ?? refuse(`its input "${name}" is not produced by any node`);
      },
      tensor(i) {
        const v = ctx.value(i);
        if (v?.kind === 'tensor') return v;
        if (v?.kind === 'recurrent')
          return refuse('it reads a recurrent output without removing its direction axis');
        if (v?.kind === 'partial') return refuse(v.why);
        if (v?.kind === 'const')
          return refuse(`its input ${i + 1} is a constant where Netwright layers take data`);
        return refuse(
          `its input ${i + 1} is ${v ? 'a shape computation' : 'missing'} where Netwright layers take data`,
        );
      },
      constant(i) {
        const v = ctx.value(i);
        return v?.kind === 'const' ? v : null;
      },
      consumers: (i) => readers.get(view.outputs[i] ?? '') ?? 0,
      consumerOps: (i) => readerOps.get(view.outputs[i] ?? '') ?? [],
      inputReaders: (i) => readers.get(view.inputs[i] ?? '') ?? 0,
      inputReaderOps: (i) => readerOps.get(view.inputs[i] ?? '') ?? [],
      nodeConsumers: (nodeId) => draft.consumersOf(nodeId),
      set(i, value) {
        if (view.outputs[i]) values.set(view.outputs[i], value);
      },
      add(type: string, params: Params, inputs: TensorValue[]) {
        if (id !== null) throw new Error(`the ${view.opType} handler added two nodes`);
        id = draft.freshId(view.name, view.opType);
        return draft.add(
          type,
          params,
          inputs.map((x) => x.node),
          { id, label: view.name },
        );
      },
      shapeOf: (nodeId) => draft.shape(nodeId),
      nodeOf: (nodeId) => draft.node(nodeId) as { type: string; params: Params },
      setParam: (nodeId, name, value) => draft.setParam(nodeId, name, value),
      retype: (nodeId, type, params) => draft.retype(nodeId, type, params),
      setWeight: (nodeId, name, w) => draft.setWeight(nodeId, name, w),
      weight: (nodeId, name) => draft.weight(nodeId, name),
    };
    try {
      handler(ctx);
    } catch (err) {
      if (err instanceof UpstreamFailed) return markFailed();
      if (err instanceof OpRefusal || err instanceof DraftError) {
        problems.push({ op: view.opType, node: view.name, why: err.message });
        return markFailed();
      }
      throw err;
    }
  });

  for (const output of graph.output ?? []) {
    const name = output.name ?? '';
    if (failed.has(name)) continue;
    const v = values.get(name);
    if (v?.kind !== 'tensor' || v.unitAxes || v.order) {
      problems.push({
        op: 'output',
        node: name,
        why: 'it is not a tensor Netwright can produce in this axis order',
      });
      continue;
    }
    const id = draft.freshId(name, 'output');
    draft.add('Output', { loss: lossFor(draft, v.node) }, [v.node], { id, label: name });
    io.outputs.push({ node: id, name, perm: v.perm });
  }
  if (problems.length) throw new ImportError(problems);
  const generic = !graph.name || /^(torch_jit|main_graph|tf2onnx)$/.test(graph.name);
  return { name: generic ? fallbackName : graph.name!, graph: draft.graph(), weights: draft.weights, io };
}
