// PyTorch emitters by layer type name, registered on the exporter's side (layers never import
// exporters). A layer type with no emitter is refused by the pre-flight report.
import type { Params } from '../layers/types.ts';
import type { TorchEmitter } from './emitter-types.ts';

const emitters = new Map<string, TorchEmitter>();

export function registerTorch<P extends Params>(type: string, emitter: TorchEmitter<P>): void {
  emitters.set(type, emitter as unknown as TorchEmitter);
}

export function torchEmitterFor(type: string): TorchEmitter | undefined {
  return emitters.get(type);
}
