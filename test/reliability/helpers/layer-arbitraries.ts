// fast-check generators for graphs of one or two layers, driven only by the registry: parameters
// from each spec's ParamDefs (ranges and their edges, enums, booleans, tuples, nullable tuples,
// regularisers), input ranks found by asking inspect which ones a layer accepts with its defaults,
// and a second layer drawn from the kinds that accept the first one's output rank.
import fc from 'fast-check';
import { inspectGraph } from '../../../engine/graph/inspect.ts';
import { allLayers, getLayer } from '../../../engine/layers/registry.ts';
import type { LayerSpec, ParamDef } from '../../../engine/layers/types.ts';
import type { Graph } from '../../../engine/project/schema.ts';
import { portAt } from '../../../engine/layers/ports.ts';

export type Params = Record<string, unknown>;
export type Shape = number[];

/** The layer kinds under test: everything but Input and Output. */
export const LAYER_KINDS: LayerSpec[] = allLayers().filter((s) => s.type !== 'Input' && s.type !== 'Output');

/** Input → [merge inputs…] → layer(s) → Output. Merges get `inputs.length` Inputs on ports 0…n−1. */
export function buildGraph(inputs: Shape[], layers: [string, Params][]): Graph {
  const nodes: Graph['nodes'] = inputs.map((shape, i) => ({
    id: `in${i}`,
    type: 'Input',
    params: { shape },
  }));
  const edges: Graph['edges'] = [];
  layers.forEach(([type, params], i) => {
    const id = `l${i + 1}`;
    nodes.push({ id, type, params: params as never });
    if (i === 0)
      inputs.forEach((_, p) =>
        edges.push({ id: `e${p}`, source: `in${p}`, target: id, port: portAt(getLayer(type)!, p) }),
      );
    else edges.push({ id: `e-l${i}`, source: `l${i}`, target: id });
  });
  nodes.push({ id: 'out', type: 'Output', params: { loss: 'meanSquaredError' } });
  edges.push({ id: 'e-out', source: `l${layers.length}`, target: 'out' });
  return { nodes, edges };
}

const inputCount = (spec: LayerSpec) => Math.max(1, spec.arity.min);

/** Ranks (batch excluded) a layer accepts with its default params, found by asking inspect. */
function acceptedRanks(spec: LayerSpec): number[] {
  return [1, 2, 3, 4].filter((rank) => {
    const shape = Array.from({ length: rank }, () => 6);
    const inputs = Array.from({ length: inputCount(spec) }, () => shape);
    return inspectGraph(buildGraph(inputs, [[spec.type, {}]])).valid;
  });
}

export const RANKS = new Map(LAYER_KINDS.map((s) => [s.type, acceptedRanks(s)]));

const elements = (shape: Shape) => shape.reduce((a, b) => a * Math.max(b, 1), 1);

/** Target shapes for a Reshape of `shape`: -1 forms, factorisations, and a wrong size now and then. */
function reshapeTarget(shape: Shape): fc.Arbitrary<number[]> {
  if (shape.includes(-1)) return fc.constantFrom<number[]>([-1], [-1, 1], [2, -1]);
  const n = elements(shape);
  const divisors = Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
  return fc.oneof(
    fc.constant<number[]>([-1]),
    fc.constant<number[]>([n]),
    fc.constantFrom(...divisors).map((d) => [d, -1]),
    fc.constantFrom(...divisors).map((d) => [n / d, d, 1]),
    fc.constant<number[]>([n + 1]),
  );
}

function paramArb(def: ParamDef, inputShape: Shape): fc.Arbitrary<unknown> {
  switch (def.kind) {
    case 'int': {
      const lo = Math.max(def.min ?? -4, -4);
      const hi = Math.min(def.max ?? 6, Math.max(lo, 0) + 6);
      return fc.integer({ min: lo, max: hi });
    }
    case 'float': {
      const lo = def.min ?? -1;
      const hi = def.max ?? lo + 2;
      const top = def.exclusiveMax ? hi - 1e-3 : hi;
      return fc.oneof(
        fc.constantFrom(lo, top, def.default),
        fc.double({ min: lo, max: top, noNaN: true, noDefaultInfinity: true }),
        ...(def.nullable ? [fc.constant(null)] : []),
      );
    }
    case 'bool':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...def.options);
    case 'intOrTuple': {
      const one = fc.integer({ min: def.allowZero ? 0 : 1, max: 3 });
      const options: fc.Arbitrary<unknown>[] = [
        one,
        fc.array(one, { minLength: def.length, maxLength: def.length }),
      ];
      if (def.nullable) options.push(fc.constant(null));
      return fc.oneof(...options);
    }
    case 'shape':
      // A nullable list is a set of axes (PReLU's sharedAxes), not a target shape.
      return def.nullable
        ? fc.oneof(
            fc.constant(null),
            fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
          )
        : reshapeTarget(inputShape);
    case 'regularizer':
      return fc.oneof(
        fc.constant(null),
        fc.record(
          {
            l1: fc.double({ min: 0, max: 0.1, noNaN: true }),
            l2: fc.double({ min: 0, max: 0.1, noNaN: true }),
          },
          { requiredKeys: [] },
        ),
      );
  }
}

/** Params for `spec` on `inputShape`, each drawn from its ParamDef (a key left out takes the default). */
export function paramsArb(spec: LayerSpec, inputShape: Shape): fc.Arbitrary<Params> {
  const entries = Object.fromEntries(spec.params.map((d) => [d.name, paramArb(d, inputShape)]));
  return fc.record(entries, { requiredKeys: [] });
}

/** A small input shape of `rank`; a sequence's length is sometimes unknown (-1). */
function shapeArb(rank: number): fc.Arbitrary<Shape> {
  const size = fc.integer({ min: 1, max: [7, 7, 6, 4][rank - 1] });
  const sizes = fc.array(size, { minLength: rank, maxLength: rank });
  if (rank !== 2) return sizes;
  return fc.tuple(sizes, fc.integer({ min: 0, max: 5 })).map(([s, r]) => (r === 0 ? [-1, s[1]] : s));
}

/** The inputs of a merge: copies of one shape, or (for Concatenate's sake) one known axis changed in one. */
function inputsArb(spec: LayerSpec, rank: number): fc.Arbitrary<Shape[]> {
  const n = inputCount(spec);
  if (n === 1) return shapeArb(rank).map((s) => [s]);
  return fc
    .tuple(
      shapeArb(rank),
      fc.integer({ min: n, max: n + 1 }),
      fc.integer({ min: 0, max: rank }),
      fc.integer({ min: 1, max: 4 }),
    )
    .map(([shape, count, axis, size]) =>
      Array.from({ length: count }, (_, i) =>
        // An axis of unknown length stays unknown in every input: its data length is only known at run time.
        i === 1 && axis < rank && shape[axis] !== -1 ? shape.map((d, k) => (k === axis ? size : d)) : shape,
      ),
    );
}

export interface LayerCase {
  inputs: Shape[];
  layers: [string, Params][];
}

/** The output shape (batch excluded, unknown as -1) of a one-layer graph, or null when inspect refuses it. */
function outputShape(inputs: Shape[], layer: [string, Params]): Shape | null {
  const r = inspectGraph(buildGraph(inputs, [layer]));
  if (!r.valid) return null;
  const node = r.nodes.find((n) => n.id === 'l1');
  return node?.outputShape ? node.outputShape.slice(1).map((d) => d ?? -1) : null;
}

// Second layers read a float tensor; Embedding wants integer ids, so it is only ever fed by an Input.
const SECOND_KINDS = LAYER_KINDS.filter((s) => s.arity.min <= 1 && s.type !== 'Embedding');

/** One layer of `spec`, sometimes followed by a second layer that accepts its output's rank. */
export function layerCaseArb(spec: LayerSpec): fc.Arbitrary<LayerCase> {
  const ranks = RANKS.get(spec.type)!;
  return fc
    .constantFrom(...ranks)
    .chain((rank) => inputsArb(spec, rank))
    .chain((inputs) =>
      paramsArb(spec, inputs[0]).map((params) => ({
        inputs,
        first: [spec.type, params] as [string, Params],
      })),
    )
    .chain(({ inputs, first }) => {
      const single = fc.constant<LayerCase>({ inputs, layers: [first] });
      const out = outputShape(inputs, first);
      const next = out ? SECOND_KINDS.filter((s) => RANKS.get(s.type)!.includes(out.length)) : [];
      if (!out || next.length === 0) return single;
      const pair = fc
        .constantFrom(...next)
        .chain((second) =>
          paramsArb(getLayer(second.type)!, out).map((p) => [second.type, p] as [string, Params]),
        )
        .map((second): LayerCase => ({ inputs, layers: [first, second] }));
      return fc.oneof(single, pair);
    });
}
