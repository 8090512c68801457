// The contract every layer module fulfils (docs/ARCHITECTURE.md, "The LayerSpec contract"). A layer module exports one LayerSpec holding
// everything about its kind: params, palette data, help, arity, shape rule, parameter count and the
// tfjs builder. Nothing here imports tfjs at runtime: the builder receives the tfjs namespace, so
// shape inference stays usable in the renderer without loading tfjs.
import type * as tfjs from '@tensorflow/tfjs';

/** A tensor shape without the batch dimension; `null` is an unknown (dynamic) size. */
export type Shape = (number | null)[];

export type LayerCategory =
  | 'Input / Output'
  | 'Core'
  | 'Convolution'
  | 'Pooling'
  | 'Recurrent'
  | 'Attention'
  | 'Normalization'
  | 'Regularization'
  | 'Merge'
  | 'Reshaping';

export const ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'swish',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const LOSSES = [
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
] as const;
export type LossName = (typeof LOSSES)[number];

interface ParamBase {
  name: string;
  label: string;
  help: string;
}
export type ParamDef =
  | (ParamBase & { kind: 'int'; default: number; min?: number; max?: number })
  /** `nullable`: null (an empty field) means "none", e.g. ReLU's maxValue. */
  | (ParamBase & {
      kind: 'float';
      default: number | null;
      min?: number;
      max?: number;
      exclusiveMax?: boolean;
      nullable?: boolean;
    })
  | (ParamBase & { kind: 'bool'; default: boolean })
  | (ParamBase & { kind: 'enum'; default: string; options: readonly string[] })
  /** A positive integer or a tuple of `length` of them (kernelSize, strides, poolSize…). */
  | (ParamBase & {
      kind: 'intOrTuple';
      default: number | number[] | null;
      length: number;
      nullable?: boolean;
      /** 0 allowed too (paddings and croppings). */
      allowZero?: boolean;
    })
  /**
   * A list of positive integers (Input.shape, Reshape.targetShape); -1 allowed once when `allowInfer`
   * (a size to work out), or anywhere when `allowUnknown` (a size that varies per sample, e.g. sequence length).
   */
  | (ParamBase & {
      kind: 'shape';
      default: number[] | null;
      allowInfer?: boolean;
      allowUnknown?: boolean;
      /** null (an empty field) allowed: "none", e.g. PReLU's sharedAxes. */
      nullable?: boolean;
    })
  /** `{l1, l2}` or null. */
  | (ParamBase & { kind: 'regularizer'; default: null });

export type ParamValue = number | boolean | string | number[] | { l1?: number; l2?: number } | null;
export type Params = Record<string, ParamValue>;

export interface LayerHelp {
  /** One or two sentences: what the layer computes. */
  summary: string;
  /** The math, plain text with Unicode (e.g. "y = f(W·x + b)"). */
  equation: string;
  /** When to use it, with practical advice. */
  whenToUse: string;
}

/** Thrown by shape rules; the message is shown to the user as is (plain English, says how to fix). */
export class ShapeError extends Error {}

/**
 * What a layer kind tfjs lacks computes, from tfjs ops only (so every backend differentiates it);
 * inputs in port order, `training` as tfjs passes it. See engine/layers/custom-tfjs.ts.
 */
export type TfjsCall<P extends Params = Params> = (
  tf: typeof tfjs,
  inputs: tfjs.Tensor[],
  params: P,
  training: boolean,
) => tfjs.Tensor;

export interface TfjsBuildContext {
  tf: typeof tfjs;
  /** The node id; use it as the tfjs layer name so weights and outputs can be matched back. */
  name: string;
  /** Shapes of the inputs (no batch dim), in port order. */
  inputShapes: Shape[];
  /**
   * For each port, which of the tensors the layer is applied to it reads: a named-port layer gets a
   * source feeding several ports once (engine/layers/ports.ts, distinctSources).
   */
  inputIndex: number[];
}

/**
 * One configuration the tests iterate for this layer kind: input shapes (batch excluded; -1 for a
 * size that varies per sample) and params (the rest take their defaults). Tests read these from the
 * registry, so adding a layer adds its cases — there is no list of type names to extend.
 */
export interface LayerExample {
  inputs: number[][];
  params: Params;
}

/**
 * A named input of a layer (docs/ARCHITECTURE.md, "Named ports"): an edge names the port it feeds.
 * Optional ports come last; inputs reach the shape rule and the tfjs layer in declaration order,
 * without the optional ports left unconnected.
 */
export interface PortDef {
  name: string;
  /** What the input is for, shown beside the handle's name. */
  help: string;
  optional?: boolean;
}

export interface LayerSpec<P extends Params = Params> {
  type: string;
  label: string;
  category: LayerCategory;
  help: LayerHelp;
  /** Inputs accepted: Input has {min:0,max:0}; merges {min:2,max:Infinity}. */
  arity: { min: number; max: number };
  /**
   * Named inputs (MultiHeadAttention's query/key/value). Without them a layer has one port `in`, or,
   * when it takes several inputs (merges), the ordered ports `in0, in1, …`.
   */
  ports?: PortDef[];
  /** Number of graph outputs the node produces (Output nodes produce none). */
  producesOutput: boolean;
  /** Random while training (dropout, noise), the identity or a fixed function at inference. */
  stochastic?: boolean;
  params: ParamDef[];
  /** Shapes and params the tests iterate (every layer kind but Input and Output has at least one). */
  examples?: LayerExample[];
  /** Key params for the canvas node, e.g. "32 · 3×3 · relu". */
  summarize?(params: P): string;
  /** Cross-parameter checks beyond what the ParamDefs express; return plain-English problems. */
  checkParams?(params: P): string[];
  /** Valid but worth knowing (e.g. "can run and export, but tfjs cannot train it"); shown as warnings. */
  paramWarnings?(params: P): string[];
  /** Output shape from input shapes; throw ShapeError with a plain-English reason. */
  inferShape(inputs: Shape[], params: P): Shape;
  /** Trainable + non-trainable weights, as Keras/tfjs count them. */
  countParams(inputs: Shape[], params: P): number;
  /** For a kind tfjs lacks: its computation, run by a registered custom tfjs layer class named `type`. */
  tfjsCall?: TfjsCall<P>;
  /** Build the tfjs layer (Input and Output are handled by the compiler and return null). */
  buildTfjs(ctx: TfjsBuildContext, params: P): tfjs.layers.Layer | null;
}
