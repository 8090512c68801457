// The contract of a layer's ONNX emitter (registered by type name in emitter-registry.ts). An emitter turns one graph node into ONNX
// nodes through an EmitContext, which hides naming, weights, initialisers and tensor layouts.
//
// Layouts: every tensor carries a permutation `perm` of its logical (tfjs, NHWC) axes, batch included:
// stored axis i holds logical axis perm[i]. Conv/pool emitters ask for channels-first inputs, RNNs for
// time-major ones; the context inserts a Transpose only when the stored layout differs, once per
// tensor and layout, so runs of conv/pool/activation layers need no transposes between them.
import type { Shape, Params } from '../layers/types.ts';

/** A float attribute (plain numbers are INT attributes). */
export interface FloatAttr {
  float: number;
}
export interface FloatsAttr {
  floats: number[];
}
export type AttrValue = number | string | number[] | string[] | FloatAttr | FloatsAttr;
export type Attrs = Record<string, AttrValue | undefined>;

export const float = (value: number): FloatAttr => ({ float: value });
export const floats = (values: number[]): FloatsAttr => ({ floats: values });

/** A tensor in the ONNX graph and the layout it is stored in. */
export interface OnnxValue {
  name: string;
  perm: number[];
}

/** A weight of the tfjs layer, by its short name (kernel, bias, recurrent_kernel, gamma…). */
export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}

export interface EmitContext<P extends Params = Params> {
  readonly opset: number;
  readonly nodeId: string;
  readonly params: P;
  /** tfjs shapes of the inputs, without the batch dimension, in port order. */
  readonly inputShapes: Shape[];
  /** tfjs shape of this node's output, without the batch dimension. */
  readonly outputShape: Shape;
  /** Input `i` laid out as `perm` (default: the tfjs layout). */
  input(i: number, perm?: number[]): string;
  /** Input `i` in whatever layout it is stored (for layout-agnostic ops). */
  storedInput(i: number): OnnxValue;
  /** A weight of the layer; throws a clear error when the layer has no such weight. */
  weight(name: string): WeightTensor;
  hasWeight(name: string): boolean;
  /** Add one node; returns its output names (`outputs` of them). */
  node(opType: string, inputs: string[], attrs?: Attrs, outputs?: number): string[];
  /** Add one node with a single output; returns its name. */
  op(opType: string, inputs: string[], attrs?: Attrs): string;
  /** A float32 initializer. */
  floatConst(label: string, data: Float32Array | number[], dims: number[]): string;
  /** An int64 initializer (shapes, axes). */
  intConst(label: string, values: number[], dims?: number[]): string;
}

export interface OnnxCheckInput<P extends Params = Params> {
  params: P;
  inputShapes: Shape[];
  outputShape: Shape;
  opset: number;
}

export interface OnnxEmitter<P extends Params = Params> {
  /** Why this node can't be exported with these params, shapes and opset (plain sentences); [] when it can. */
  check?(input: OnnxCheckInput<P>): string[];
  /** Emit the node; return the output tensor (a bare name means the tfjs layout). */
  emit(ctx: EmitContext<P>): string | OnnxValue;
}
