// Helpers shared by the PyTorch emitters.
import type { TensorData } from '../../data/types.ts';
import type { Params } from '../../layers/types.ts';
import { KNOWN_ACTIVATIONS } from '../python.ts';
import type { TorchNode } from '../emitter-types.ts';

/** A number or tuple param as a tuple of `n` (Keras: one number means the same on every axis). */
export function tupleOf(value: unknown, n: number): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return new Array<number>(n).fill(Number(value));
}

/** The dimension that holds channels/features in a layout, for a tensor of `rank` axes with the batch. */
export const channelDim = (layout: 'tf' | 'cf', rank: number): number =>
  layout === 'cf' && rank > 2 ? 1 : -1;

export function activationProblem(node: TorchNode<Params>): string[] {
  const a = node.params.activation;
  return typeof a === 'string' && !KNOWN_ACTIVATIONS.includes(a)
    ? [`the activation "${a}" has no PyTorch equivalent in this exporter`]
    : [];
}

/** A tfjs weight by short name, with a clear error when the model does not have it. */
export function weight(weights: Map<string, TensorData>, name: string, node: TorchNode<Params>): TensorData {
  const w = weights.get(name);
  if (!w) throw new Error(`The tfjs layer "${node.id}" has no weight "${name}".`);
  return w;
}

export type Regularizer = { l1?: number; l2?: number } | null | undefined;

export function kernelPenalty(node: TorchNode<Params>, param: string) {
  const reg = node.params.kernelRegularizer as Regularizer;
  if (!reg || (!reg.l1 && !reg.l2)) return null;
  return { param: `${node.attr}.${param}`, l1: reg.l1 ?? 0, l2: reg.l2 ?? 0 };
}
