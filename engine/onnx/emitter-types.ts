// Placeholder contract for per-layer ONNX emitters; the ONNX export work defines it fully.
import type { Shape, Params } from '../layers/types.ts';

export interface OnnxEmitter<P extends Params = Params> {
  /** Emit the ONNX nodes for one layer; returns the name of the produced tensor. */
  emit(ctx: unknown, inputs: string[], inputShapes: Shape[], params: P): string;
}
