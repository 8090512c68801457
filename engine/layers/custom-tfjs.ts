// Layer kinds tfjs lacks, or whose tfjs class computes less than Keras' (docs/ARCHITECTURE.md,
// "The LayerSpec contract"): one tfjs Layer subclass per kind, made from its spec — the spec's shape
// rule, its params as the saved config, its `tfjsCall` — and registered under the kind's type name, so
// a saved model that uses it loads wherever registerCustomLayers ran first.
import type * as tfjs from '@tensorflow/tfjs';
import type { LayerSpec, Params, Shape, TfjsCall } from './types.ts';

type LayerClass = new (args: Record<string, unknown>) => tfjs.layers.Layer;

const classesByTf = new WeakMap<typeof tfjs, Map<string, LayerClass>>();

/** The kind's tfjs class for this tfjs namespace, defined and registered on first use. */
export function customLayerClass<P extends Params>(
  tf: typeof tfjs,
  spec: Omit<LayerSpec<P>, 'buildTfjs'>,
  call: TfjsCall<P>,
): LayerClass {
  let classes = classesByTf.get(tf);
  if (!classes) classesByTf.set(tf, (classes = new Map()));
  const known = classes.get(spec.type);
  if (known) return known;
  const defs = spec.params;
  class CustomLayer extends tf.layers.Layer {
    static className = spec.type;
    private readonly params: P;
    constructor(args: Record<string, unknown>) {
      super(args);
      this.params = Object.fromEntries(defs.map((d) => [d.name, args[d.name] ?? d.default])) as P;
    }
    override computeOutputShape(inputShape: tfjs.Shape | tfjs.Shape[]): tfjs.Shape {
      const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
      return [
        shapes[0][0],
        ...spec.inferShape(
          shapes.map((s) => s.slice(1)),
          this.params,
        ),
      ];
    }
    override call(inputs: tfjs.Tensor | tfjs.Tensor[], kwargs: Record<string, unknown>): tfjs.Tensor {
      const xs = Array.isArray(inputs) ? inputs : [inputs];
      return tf.tidy(() => call(tf, xs, this.params, kwargs.training === true));
    }
    override getConfig(): tfjs.serialization.ConfigDict {
      return { ...super.getConfig(), ...(this.params as tfjs.serialization.ConfigDict) };
    }
  }
  tf.serialization.registerClass(CustomLayer);
  classes.set(spec.type, CustomLayer);
  return CustomLayer;
}

/** A spec whose tfjs layer is its own registered class computing `call`. */
export function withCustomTfjs<P extends Params>(
  spec: Omit<LayerSpec<P>, 'buildTfjs' | 'tfjsCall'>,
  call: TfjsCall<P>,
): LayerSpec<P> {
  return {
    ...spec,
    tfjsCall: call,
    buildTfjs: ({ tf, name }, p) => new (customLayerClass(tf, spec, call))({ name, ...p }),
  };
}
