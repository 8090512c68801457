// Zero padding and cropping at the edges of a sequence or image: Pad with zeros (PyTorch's F.pad,
// tf2onnx) and the Concat with blocks of zeros that Netwright's exporter writes (an Expand of a zero
// constant to the input's sizes, read from a one-step Slice) become ZeroPadding1D/2D; a Slice that
// keeps a middle part of the spatial axes becomes Cropping1D/2D. ZeroPadding2D and Cropping2D treat
// both sides of an axis alike, as Keras' symmetric form.
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import { logicalAxis, storedRank, type TensorValue, type Value } from '../values.ts';
import { compact } from './spatial.ts';

type Edges = Map<number, [number, number]>;
type EdgeKind = 'ZeroPadding' | 'Cropping';

/** What stops `amounts` (per Netwright axis) from being one ZeroPadding/Cropping layer, or null. */
function edgeProblem(x: TensorValue, amounts: Edges): string | null {
  const rank = x.shape.length - 1;
  if (x.unitAxes || x.order || rank < 1 || rank > 2)
    return 'it works on a tensor that is neither a sequence nor an image';
  for (const [axis, [before, after]] of amounts) {
    if (!(before || after)) continue;
    if (axis < 1 || axis > rank) return 'it changes the batch or channel axis';
    if (rank === 2 && before !== after) return 'it treats the two sides of an image axis differently';
  }
  return null;
}

function edgeParams(kind: EdgeKind, rank: number, amounts: Edges) {
  const pairs = Array.from({ length: rank }, (_, i) => amounts.get(i + 1) ?? [0, 0]);
  const value = compact(rank === 1 ? pairs[0] : pairs.map(([b]) => b));
  return { [kind === 'ZeroPadding' ? 'padding' : 'cropping']: value };
}

function addEdgeLayer(ctx: ImportContext, kind: EdgeKind, x: TensorValue, amounts: Edges): void {
  const problem = edgeProblem(x, amounts);
  if (problem) refuse(problem);
  if ([...amounts.values()].every(([b, a]) => !b && !a)) return ctx.set(0, x);
  const rank = x.shape.length - 1;
  const id = ctx.add(`${kind}${rank}D`, edgeParams(kind, rank, amounts), [x]);
  ctx.set(0, { ...x, node: id, shape: ctx.shapeOf(id) });
}

const constInts = (ctx: ImportContext, i: number): number[] | null =>
  ctx.node.inputs[i] ? ((ctx.constant(i)?.data as number[] | undefined) ?? null) : null;

function pad(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const mode = ctx.node.attrs.string('mode', 'constant');
  if (mode !== 'constant') refuse(`mode "${mode}" repeats values at the edge; ZeroPadding adds zeros`);
  const pads =
    ctx.node.attrs.ints('pads') ?? constInts(ctx, 1) ?? refuse('only constant pads can be imported');
  const fill = ctx.node.inputs[2] ? ctx.constant(2) : null;
  if (ctx.node.inputs[2] && (!fill || fill.data.some((v) => v !== 0)))
    refuse('only padding with zeros has a Netwright layer');
  const n = pads.length / 2;
  const axes = constInts(ctx, 3) ?? Array.from({ length: n }, (_, i) => i);
  const amounts: Edges = new Map();
  axes.forEach((a, i) => {
    const logical = logicalAxis(x, a);
    if (logical === null && (pads[i] || pads[i + n])) refuse('it pads an axis Netwright does not keep');
    if (logical !== null) amounts.set(logical, [pads[i], pads[i + n]]);
  });
  addEdgeLayer(ctx, 'ZeroPadding', x, amounts);
}

const INT_MAX = 2 ** 31 - 1;

/** The steps a Slice removes at each end of each Netwright axis, or why it is no crop. */
function sliceEdges(ctx: ImportContext, x: TensorValue): Edges | string {
  const starts = constInts(ctx, 1);
  const ends = constInts(ctx, 2);
  if (!starts || !ends) return 'its starts and ends are not constants';
  const axes = constInts(ctx, 3) ?? starts.map((_, i) => i);
  if ((constInts(ctx, 4) ?? []).some((s) => s !== 1)) return 'it skips steps';
  const amounts: Edges = new Map();
  for (let i = 0; i < axes.length; i++) {
    const logical = logicalAxis(x, axes[i]);
    if (logical === null) return 'it slices an axis Netwright does not keep';
    const size = logical > 0 ? x.shape[logical - 1] : null;
    const begin = starts[i] >= 0 ? starts[i] : size === null ? null : size + starts[i];
    const end = ends[i] < 0 ? -ends[i] : ends[i] >= INT_MAX ? 0 : size === null ? null : size - ends[i];
    if (begin === null || end === null || begin < 0 || end < 0)
      return 'its bounds depend on a size that is not known';
    amounts.set(logical, [begin, end]);
  }
  return edgeProblem(x, amounts) ?? amounts;
}

function slice(ctx: ImportContext) {
  const v = ctx.value(0);
  if (v?.kind === 'shape') return ctx.set(0, { kind: 'shape' });
  const x = ctx.tensor(0);
  const edges = sliceEdges(ctx, x);
  // A slice that only a Shape reads (the exporter's zero padding takes its sizes so) adds no layer.
  const forShape = ctx.consumerOps(0).length > 0 && ctx.consumerOps(0).every((op) => op === 'Shape');
  if (typeof edges === 'string' || forShape) {
    const why = typeof edges === 'string' ? edges : 'it is read for its shape only';
    return ctx.set(0, {
      kind: 'partial',
      why: `it reads a part of a tensor (Slice ${ctx.node.name}: ${why})`,
    });
  }
  addEdgeLayer(ctx, 'Cropping', x, edges);
}

function expand(ctx: ImportContext) {
  const c = ctx.constant(0);
  if (!c || c.data.some((v) => v !== 0))
    refuse('only a block of zeros (the exporter’s zero padding) can be imported');
  ctx.set(0, { kind: 'zeros', dims: c!.dims });
}

/** Concat of blocks of zeros around one tensor along a spatial axis: zero padding. */
export function zeroPadConcat(ctx: ImportContext, values: (Value | undefined)[]): void {
  const t = values.findIndex((v) => v?.kind === 'tensor');
  const blocks = values.map((v, i) => (i === t ? null : v?.kind === 'zeros' && v.dims ? v.dims : undefined));
  if (t < 0 || blocks.includes(undefined)) refuse('it joins blocks of zeros with other than one tensor');
  const x = ctx.tensor(t);
  const axis = ctx.node.attrs.int('axis', 1);
  const stored = axis < 0 ? storedRank(x) + axis : axis;
  const steps = (from: number, to: number) =>
    blocks.slice(from, to).reduce((sum: number, dims) => sum + (dims?.[stored] ?? 0), 0);
  const logical = logicalAxis(x, axis);
  if (logical === null) refuse('it pads an axis Netwright does not keep');
  const amounts: Edges = new Map([[logical!, [steps(0, t), steps(t + 1, blocks.length)]]]);
  // The exporter pads an image's rows, then its columns: the second Concat widens the first's layer
  // when nothing else reads it (the one-step Slice that measures it adds no node).
  const producer = ctx.nodeOf(x.node);
  const rank = x.shape.length - 1;
  const readers = [...ctx.inputReaderOps(t)].sort().join();
  const widen = readers === 'Concat,Slice' && ctx.nodeConsumers(x.node) === 0;
  if (producer.type === 'ZeroPadding2D' && rank === 2 && logical === 2 && widen) {
    const [rows, cols] = [producer.params.padding].flat() as number[];
    const [before, after] = amounts.get(2)!;
    if ((cols ?? rows) === 0 && before === after) {
      ctx.setParam(x.node, 'padding', compact([rows, before]));
      return ctx.set(0, { ...x, shape: ctx.shapeOf(x.node) });
    }
  }
  addEdgeLayer(ctx, 'ZeroPadding', x, amounts);
}

export const edgeHandlers = [
  ...handles(['Pad'], pad),
  ...handles(['Slice'], slice),
  ...handles(['Expand'], expand),
];
