// The contract of a layer's PyTorch emitter (engine/pytorch/registry.ts). An emitter turns one graph
// node into model.py code (submodules and a forward line) and converts its weights both ways between
// tfjs and the PyTorch state_dict. Layouts: tensors are tfjs-ordered ('tf', channels last) unless an
// emitter asks for channels-first ('cf'); the generator converts once per tensor and layout.
import type { Params, Shape } from '../layers/types.ts';
import type { TensorData } from '../data/types.ts';

export type Layout = 'tf' | 'cf';

export interface TorchNode<P extends Params = Params> {
  id: string;
  type: string;
  /** The Python attribute and variable name of the node (its id made a Python identifier). */
  attr: string;
  params: P;
  /** tfjs shapes of the inputs without the batch, in port order. */
  inputShapes: Shape[];
  outputShape: Shape;
  /** Marked `trainable: false` in the project: excluded from training, always in inference mode. */
  frozen?: boolean;
}

/** A submodule of the generated nn.Module: `self.<name> = <init>`. */
export interface TorchModule {
  name: string;
  init: string;
  /** Statements that follow the assignment in __init__ (comments start with #). */
  setup?: string[];
}

export interface TorchForward {
  /** The Python expression computing the node's output from `inputs`. */
  expr: string;
  /** Layout of the result (default: the layout the inputs were given in). */
  layout?: Layout;
  /** Unpack a tuple-returning call: `name, _ = expr`. */
  unpack?: boolean;
}

export interface TorchEmitter<P extends Params = Params> {
  /** Why this node has no faithful PyTorch equivalent; each reason one sentence fragment. */
  check?(node: TorchNode<P>): string[];
  /** The layout the inputs are wanted in: 'keep' works in whatever layout the first input has. */
  inputLayout(node: TorchNode<P>): Layout | 'keep';
  modules?(node: TorchNode<P>): TorchModule[];
  /** `inputs` are expressions already in the layout asked for (or kept, given as `layout`). */
  forward(node: TorchNode<P>, inputs: string[], layout: Layout): TorchForward;
  /** tfjs weights (by short name: kernel, bias, gamma…) → state_dict entries (full keys). */
  toTorch?(node: TorchNode<P>, weights: Map<string, TensorData>): Map<string, TensorData>;
  /** state_dict entries (full keys) → tfjs weights by short name. */
  toTfjs?(node: TorchNode<P>, state: (key: string) => TensorData): Map<string, TensorData>;
  /** Keras-style L1/L2 penalty on one parameter, added to the training loss. */
  regularizer?(node: TorchNode<P>): { param: string; l1: number; l2: number } | null;
}
