// Gemm and MatMul with a constant weight → Dense (a following Add of a constant becomes its bias, in
// merge.ts). ONNX multiplies x·W with W [in, units] (Gemm's transB: [units, in]), as tfjs' kernel.
import { handles, refuse, type ImportContext } from '../handler-types.ts';
import type { ConstTensor } from '../onnx-model.ts';
import { isIdentity, type TensorValue } from '../values.ts';

/** The constant as a Float32Array, scaled. */
function floats(c: ConstTensor, scale = 1): Float32Array {
  const out = Float32Array.from(c.data as ArrayLike<number>);
  if (scale !== 1) for (let i = 0; i < out.length; i++) out[i] *= scale;
  return out;
}

/** [rows, cols] → [cols, rows]. */
function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** Kernel rows in Netwright's feature order when the input is a reordered flat vector. */
function reorderRows(kernel: Float32Array, units: number, order: Int32Array | undefined): Float32Array {
  if (!order) return kernel;
  const out = new Float32Array(kernel.length);
  order.forEach((logical, j) => out.set(kernel.subarray(j * units, (j + 1) * units), logical * units));
  return out;
}

function addDense(
  ctx: ImportContext,
  x: TensorValue,
  kernel: Float32Array,
  inputs: number,
  units: number,
  bias: Float32Array | null,
) {
  const last = x.shape[x.shape.length - 1];
  if (last !== inputs)
    refuse(`its weight expects ${inputs} input features but the input has ${last ?? 'an unknown number'}`);
  const id = ctx.add('Dense', { units, activation: 'linear', useBias: bias !== null }, [x]);
  ctx.setWeight(id, 'kernel', { shape: [inputs, units], data: reorderRows(kernel, units, x.order) });
  if (bias) ctx.setWeight(id, 'bias', { shape: [units], data: bias });
  ctx.set(0, {
    kind: 'tensor',
    node: id,
    shape: ctx.shapeOf(id),
    perm: [0, ...x.shape.map((_, i) => i + 1)],
  });
}

function gemm(ctx: ImportContext) {
  const a = ctx.node.attrs;
  const x = ctx.tensor(0);
  const w = ctx.constant(1);
  if (!w || w.dims.length !== 2)
    refuse('only a constant weight matrix B can be imported (as a Dense kernel)');
  if (a.int('transA', 0) !== 0) refuse('transA = 1 (a transposed input) has no Dense equivalent');
  if (x.shape.length !== 1 || x.unitAxes) refuse('its input must be [batch, features]');
  const transB = a.int('transB', 0) === 1;
  const [rows, cols] = w!.dims;
  const inputs = transB ? cols : rows;
  const units = transB ? rows : cols;
  const raw = floats(w!, a.float('alpha', 1));
  const kernel = transB ? transpose2d(raw, rows, cols) : raw;
  let bias: Float32Array | null = null;
  if (ctx.node.inputs[2]) {
    const c = ctx.constant(2);
    if (!c) refuse('only a constant C can be imported (as the Dense bias)');
    const size = c!.data.length;
    if (size !== units && size !== 1) refuse(`its bias C has ${size} values for ${units} units`);
    const beta = a.float('beta', 1);
    bias = Float32Array.from({ length: units }, (_, i) => (c!.data[size === 1 ? 0 : i] as number) * beta);
  }
  addDense(ctx, x, kernel, inputs, units, bias);
}

function matmul(ctx: ImportContext) {
  const x = ctx.tensor(0);
  const w = ctx.constant(1);
  if (!w || w.dims.length !== 2)
    refuse('only x · W with a constant 2-D W can be imported (as a Dense kernel)');
  if (
    x.unitAxes ||
    x.perm[x.perm.length - 1] !== x.perm.length - 1 ||
    (!isIdentity(x.perm) && x.shape.length > 1)
  )
    refuse('it multiplies along an axis that is not the features axis');
  addDense(ctx, x, floats(w!), w!.dims[0], w!.dims[1], null);
}

export const denseHandlers = [...handles(['Gemm'], gemm), ...handles(['MatMul'], matmul)];
