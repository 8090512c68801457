// tfjs layers format (model.json + weight shards, as tfjs saves it and tensorflowjs_converter writes it
// from Keras) → a Netwright graph with weights. tfjs loads the model itself; each layer maps to the
// Netwright layer of the same class name (a registry lookup), its config read through that layer's
// ParamDefs. Settings Netwright's layer does not have are refused unless they hold its value.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { WRAPPED_RNN } from '../../layers/bidirectional.ts';
import { getLayer, registerCustomLayers } from '../../layers/registry.ts';
import type { ParamDef, Params, ParamValue } from '../../layers/types.ts';
import { DraftError, GraphDraft } from '../graph-draft.ts';
import { identityPerm } from '../onnx/values.ts';
import { verifyImport } from '../verify-import.ts';
import { shortWeightName } from '../../weights/named-weights.ts';
import { ImportError, unreadableModel, type ImportedModel, type ImportProblem } from '../import-types.ts';

type Config = Record<string, unknown>;

/** Config entries Netwright's layers do not expose, and the only value they can import with. */
const FIXED: Record<string, Record<string, unknown>> = {
  '*': { dataFormat: 'channelsLast' },
  BatchNormalization: { center: true, scale: true },
  LayerNormalization: { center: true, scale: true },
  LSTM: {
    recurrentActivation: 'sigmoid',
    goBackwards: false,
    returnState: false,
    stateful: false,
    useBias: true,
  },
  GRU: {
    recurrentActivation: 'sigmoid',
    goBackwards: false,
    returnState: false,
    stateful: false,
    useBias: true,
    resetAfter: false,
  },
  SimpleRNN: { goBackwards: false, returnState: false, stateful: false, useBias: true },
};

const NAMES: Record<string, string> = { hardSigmoid: 'hard_sigmoid' };
/** Kinds whose tfjs class takes a dilation that Netwright's layer does not (conv-variants.ts). */
const UNDILATED = new Set(['Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D']);

/** A param value from a tfjs config: window tuples as users write them, regularisers as {l1, l2}. */
function paramValue(def: ParamDef, value: unknown, cfg: Config): ParamValue | undefined {
  if (value === undefined) return undefined;
  if (def.kind === 'intOrTuple' && Array.isArray(value)) {
    const v = value as number[];
    if (def.name === 'strides' && 'poolSize' in cfg) {
      const pool = cfg.poolSize as number[] | number;
      const poolList = Array.isArray(pool) ? pool : v.map(() => pool);
      if (v.every((s, i) => s === poolList[i])) return null;
    }
    return v.every((d) => d === v[0]) ? v[0] : v;
  }
  if (def.kind === 'regularizer') {
    const reg = value as { config?: { l1?: number; l2?: number } } | null;
    if (!reg) return null;
    const out: { l1?: number; l2?: number } = {};
    if (reg.config?.l1) out.l1 = reg.config.l1;
    if (reg.config?.l2) out.l2 = reg.config.l2;
    return out;
  }
  if (def.kind === 'shape' && Array.isArray(value)) return (value as (number | null)[]).map((d) => d ?? -1);
  return value as ParamValue;
}

/**
 * A wrapper's config (Bidirectional, TimeDistributed) with the wrapped layer's settings beside its
 * own and `layer` naming the wrapped class; other configs as they are.
 */
function liftWrapped(cfg: Config): { cfg: Config; inner?: { className: string; name: string; cfg: Config } } {
  const wrapped = cfg.layer as { className?: string; config?: Config } | undefined;
  if (!wrapped?.config || typeof wrapped.className !== 'string') return { cfg };
  const inner = { className: wrapped.className, name: String(wrapped.config.name), cfg: wrapped.config };
  return { cfg: { ...wrapped.config, ...cfg, layer: wrapped.className }, inner };
}

function fixedProblems(className: string, cfg: Config): string[] {
  const rules = { ...FIXED['*'], ...(FIXED[className] ?? {}) };
  const problems: string[] = [];
  for (const [key, want] of Object.entries(rules)) {
    if (key in cfg && cfg[key] !== want)
      problems.push(
        `its ${key} is ${JSON.stringify(NAMES[String(cfg[key])] ?? cfg[key])}; Netwright's ${className} has ${JSON.stringify(want)}`,
      );
  }
  if (className === 'BatchNormalization' && cfg.axis !== -1 && cfg.axis !== undefined)
    problems.push('it normalises an axis other than the last');
  const dilation = [cfg.dilationRate ?? 1].flat();
  if (UNDILATED.has(className) && dilation.some((d) => d !== 1))
    problems.push(`its dilationRate is ${JSON.stringify(cfg.dilationRate)}; Netwright's ${className} has 1`);
  return problems;
}

async function loadModel(tf: typeof tfjs, file: string, bytes: Uint8Array): Promise<tfjs.LayersModel> {
  let json: tfjs.io.ModelJSON;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as tfjs.io.ModelJSON;
  } catch {
    throw unreadableModel('the file is not JSON');
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest))
    throw unreadableModel('the file is not a tfjs layers model.json (no modelTopology and weightsManifest)');
  const dir = path.dirname(file);
  const handler: tfjs.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tfjs.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const shard = path.join(dir, p);
            if (path.relative(dir, shard).startsWith('..'))
              throw unreadableModel(`the weights shard ${p} is outside the model's folder`);
            const buf = await fs.readFile(shard).catch(() => {
              throw unreadableModel(`the weights shard ${p} is missing beside model.json`);
            });
            buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          }
        }
        return [specs, buffers];
      }),
  };
  try {
    registerCustomLayers(tf);
    return await tf.loadLayersModel(handler);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw unreadableModel(
      `tfjs could not load it (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`,
    );
  }
}

/** Every layer the outputs depend on, inputs first. */
function layersInOrder(model: tfjs.LayersModel): tfjs.layers.Layer[] {
  const seen = new Set<tfjs.layers.Layer>();
  const order: tfjs.layers.Layer[] = [];
  const visit = (layer: tfjs.layers.Layer) => {
    if (seen.has(layer)) return;
    seen.add(layer);
    for (const from of layer.inboundNodes[0]?.inboundLayers ?? []) visit(from);
    order.push(layer);
  };
  // Inputs first, in the model's input order (the order training feeds them).
  for (const input of model.inputs) visit(input.sourceLayer);
  for (const out of model.outputs) visit(out.sourceLayer);
  return order;
}

export async function importTfjs(tf: typeof tfjs, file: string, bytes: Uint8Array): Promise<ImportedModel> {
  const model = await loadModel(tf, file, bytes);
  try {
    const imported = mapModel(model, file);
    // Checked against the loaded model while it is still here (verify-import.ts).
    const parity = await verifyImport(tf, imported, async (feeds) => {
      const xs = model.inputNames.map((name) => tf.tensor(feeds[name].data, feeds[name].dims));
      const ys = model.predict(xs.length === 1 ? xs[0] : xs) as tfjs.Tensor | tfjs.Tensor[];
      const list = Array.isArray(ys) ? ys : [ys];
      const out = Object.fromEntries(model.outputNames.map((name, k) => [name, list[k].dataSync()]));
      tf.dispose([...xs, ...list]);
      return out;
    });
    return { ...imported, parity };
  } finally {
    model.dispose();
  }
}

function mapModel(model: tfjs.LayersModel, file: string): ImportedModel {
  const draft = new GraphDraft();
  const problems: ImportProblem[] = [];
  const idOf = new Map<tfjs.layers.Layer, string>();
  const io: ImportedModel['io'] = { inputs: [], outputs: [] };
  for (const layer of layersInOrder(model)) {
    const className = layer.getClassName();
    const cfg = layer.getConfig() as Config;
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    const problem = (why: string) => problems.push({ op: className, node: layer.name, why });
    if (inbound.some((l) => !idOf.has(l))) continue;
    if (layer.inboundNodes.length > 1) {
      problem('it is applied more than once (shared weights have no Netwright equivalent)');
      continue;
    }
    const id = draft.freshId(layer.name, className);
    try {
      if (className === 'InputLayer') {
        const shape = (cfg.batchInputShape as (number | null)[]).slice(1).map((d) => d ?? -1);
        draft.add('Input', { shape }, [], { id, label: layer.name });
        io.inputs.push({ node: id, name: layer.name, perm: identityPerm(shape.length + 1) });
        idOf.set(layer, id);
        continue;
      }
      const spec = getLayer(className);
      if (!spec || className === 'Input' || className === 'Output') {
        problem('no Netwright layer has this class');
        continue;
      }
      const lifted = liftWrapped(cfg);
      const inner = lifted.inner;
      if (className === 'TimeDistributed' && inner?.className !== 'Dense') {
        problem('Netwright wraps only a Dense layer in TimeDistributed');
        continue;
      }
      const fixed = [
        ...fixedProblems(className, cfg),
        ...(inner ? fixedProblems(inner.className, inner.cfg) : []),
      ];
      if (fixed.length) {
        problem(fixed.join('; '));
        continue;
      }
      const params: Params = {};
      for (const def of spec.params) {
        const value = paramValue(def, lifted.cfg[def.name], lifted.cfg);
        if (value !== undefined) params[def.name] = value;
      }
      // A named-port layer applied to each source once says which one each port reads (inputMap).
      const ports = Array.isArray(cfg.inputMap) ? (cfg.inputMap as number[]).map((i) => inbound[i]) : inbound;
      draft.add(
        className,
        params,
        ports.map((l) => idOf.get(l)!),
        { id, label: layer.name },
      );
      // tfjs keeps Concatenate's axis positive; Netwright writes the last axis as -1.
      if (className === 'Concatenate' && params.axis === draft.shape(id).length)
        draft.setParam(id, 'axis', -1);
      for (const w of layer.weights) {
        // Netwright names the layer a Bidirectional wraps WRAPPED_RNN (engine/layers/bidirectional.ts).
        const short = inner
          ? shortWeightName(layer.name, w.originalName).replace(`_${inner.name}/`, `_${WRAPPED_RNN}/`)
          : shortWeightName(layer.name, w.originalName);
        draft.setWeight(id, short, {
          shape: [...w.shape] as number[],
          data: Float32Array.from(w.read().dataSync()),
        });
      }
      idOf.set(layer, id);
    } catch (err) {
      if (!(err instanceof DraftError)) throw err;
      problem(err.message);
    }
  }
  model.outputs.forEach((out, k) => {
    const source = idOf.get(out.sourceLayer);
    if (!source) return;
    const activation = draft.node(source).params.activation;
    const loss =
      activation === 'softmax'
        ? 'categoricalCrossentropy'
        : activation === 'sigmoid'
          ? 'binaryCrossentropy'
          : 'meanSquaredError';
    const name = model.outputNames?.[k] ?? `output_${k + 1}`;
    const id = draft.freshId(`${name}_out`, 'output');
    draft.add('Output', { loss }, [source], { id, label: name });
    io.outputs.push({
      node: id,
      name,
      perm: identityPerm(draft.shape(id).length + 1),
    });
  });
  if (problems.length) throw new ImportError(problems);
  const name = path.basename(path.dirname(path.resolve(file))) || 'Imported model';
  return { name, graph: draft.graph(), weights: draft.weights, io };
}
