// The contract of an ONNX op importer: one handler per op pattern (as tf2onnx registers one per
// TensorFlow op, in reverse). A handler reads its node through an ImportContext and either records
// what each output stands for or throws OpRefusal with the reason.
import type { Params } from '../../layers/types.ts';
import type { WeightTensor } from '../../onnx/emitter-types.ts';
import type { Attributes, ConstTensor } from './onnx-model.ts';
import type { TensorValue, Value } from './values.ts';

/** Why a node can't be imported (a plain clause; the importer adds op and node name). */
export class OpRefusal extends Error {}
export const refuse = (why: string): never => {
  throw new OpRefusal(why);
};

export interface OnnxNodeView {
  name: string;
  opType: string;
  /** Input names; '' is an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Attributes;
}

export interface ImportContext {
  readonly node: OnnxNodeView;
  readonly opset: number;
  /** What input i stands for; undefined when omitted. */
  value(i: number): Value | undefined;
  /** Input i as a Netwright tensor, or a refusal naming what it is instead. */
  tensor(i: number): TensorValue;
  /** Input i as a constant (initializer or Constant), or null. */
  constant(i: number): ConstTensor | null;
  /** How many nodes (and graph outputs) read output i of this node. */
  consumers(i: number): number;
  /** The op types of the nodes that read output i (not counting graph outputs). */
  consumerOps(i: number): string[];
  /** Records what output i stands for. */
  set(i: number, value: Value): void;
  /** Adds a Netwright node fed by tensors (in port order); its id comes from the ONNX node name. */
  add(type: string, params: Params, inputs: TensorValue[]): string;
  /** Netwright shape (without batch) of a node added so far. */
  shapeOf(nodeId: string): TensorValue['shape'];
  /** The node record (type, params) of a node added so far. */
  nodeOf(nodeId: string): { type: string; params: Params };
  setParam(nodeId: string, name: string, value: Params[string]): void;
  /** Turns a node nothing reads yet into another kind (a DepthwiseConv2D and a 1×1 Conv: SeparableConv2D). */
  retype(nodeId: string, type: string, params: Params): void;
  setWeight(nodeId: string, name: string, w: WeightTensor): void;
  weight(nodeId: string, name: string): WeightTensor | undefined;
  /** How many nodes (and graph outputs) read input i (1: this node may fuse into its producer). */
  inputReaders(i: number): number;
  /** The op types of the nodes that read input i, this one included. */
  inputReaderOps(i: number): string[];
  /** How many Netwright nodes added so far read a node's output. */
  nodeConsumers(nodeId: string): number;
}

export type OpHandler = (ctx: ImportContext) => void;

/** Registers one handler for several op types, like tf2onnx's @tf_op([...]). */
export const handles = (ops: string[], handler: OpHandler): [string, OpHandler][] =>
  ops.map((op) => [op, handler]);
