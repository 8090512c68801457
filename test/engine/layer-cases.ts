// The single-layer cases the shape test and the PyTorch parity test iterate: every layer kind's own
// examples (LayerSpec.examples), read from the registry, so a new layer kind brings its cases.
import { allLayers } from '../../engine/layers/registry.ts';
import type { LayerParams } from './graph-helpers.ts';

export type LayerCase = [type: string, inputs: number[][], params: LayerParams];

export const LAYER_CASES: LayerCase[] = allLayers().flatMap((spec) =>
  (spec.examples ?? []).map((e): LayerCase => [spec.type, e.inputs, e.params]),
);
