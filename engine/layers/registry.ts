// The layer registry: adding a layer kind is one module under engine/layers/ and one line here.
import type { LayerSpec, Params } from './types.ts';
import { InputLayer } from './input.ts';
import { OutputLayer } from './output.ts';
import { DenseLayer } from './dense.ts';

const ALL: LayerSpec<never>[] = [InputLayer, OutputLayer, DenseLayer];

const byType = new Map<string, LayerSpec>(ALL.map((spec) => [spec.type, spec as unknown as LayerSpec]));

export function getLayer(type: string): LayerSpec | undefined {
  return byType.get(type);
}

export function allLayers(): LayerSpec[] {
  return [...byType.values()];
}

export function layerTypes(): string[] {
  return [...byType.keys()];
}

export type { LayerSpec, Params };
