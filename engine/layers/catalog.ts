// Layer descriptions for the UI palette and inspector (JSON-safe: Infinity becomes null).
import type { LayerInfo } from '../api.ts';
import { allLayers } from './registry.ts';

export function layerCatalog(): LayerInfo[] {
  return allLayers().map((spec) => ({
    type: spec.type,
    label: spec.label,
    category: spec.category,
    help: spec.help,
    arity: { min: spec.arity.min, max: Number.isFinite(spec.arity.max) ? spec.arity.max : null },
    params: spec.params,
  }));
}
