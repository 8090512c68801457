// In training, tfjs-core runs a convolution with a linear activation as FusedConv2D under a custom
// gradient, and that gradient always computes the input's gradient too: for a model's first
// convolution, whose input is the data, a whole Conv2DBackpropInput per step is thrown away (on a
// 3-channel image stem it costs half a 16-channel one). The plain Conv2D op's gradient is computed
// only where the tape needs it, so in training on WebAssembly a Conv2D layer with a linear
// activation runs as conv2d + bias instead: the same kernels forward, the same numbers to rounding.
// Every other call (inference, other activations, other backends, channels first) keeps tfjs' path.
import * as tf from '@tensorflow/tfjs';
import { TrainingOpSwitch, routeLayerCall, singleInput } from './layer-routing.ts';

interface ConvLike {
  rank: number;
  dataFormat: string;
  padding: string;
  strides: number[];
  dilationRate: number | number[];
  activation: { getClassName(): string };
  kernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
}

let installed = false;
const opSwitch = new TrainingOpSwitch();

/** Tests compare against tfjs' fused path by turning this one off. */
export function setUnfusedConvTraining(on: boolean): void {
  opSwitch.enabled = on;
}

function applies(
  layer: ConvLike,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown> | undefined,
) {
  if (!opSwitch.admits(kwargs)) return null;
  const x = singleInput(inputs);
  if (!x || x.rank !== 4 || layer.rank !== 2 || layer.dataFormat !== 'channelsLast') return null;
  if (layer.padding !== 'same' && layer.padding !== 'valid') return null;
  if (layer.activation.getClassName() !== 'linear') return null;
  return x as tf.Tensor4D;
}

/** Route tfjs-layers' Conv2D in training through conv2d + bias where it applies (idempotent). */
export function installUnfusedConvTraining(): void {
  if (installed) return;
  installed = true;
  routeLayerCall<ConvLike>(tf.layers.conv2d({ filters: 1, kernelSize: 1 }), (layer, inputs, kwargs) => {
    const x = applies(layer, inputs, kwargs);
    if (!x) return null;
    return tf.tidy(() => {
      const y = tf.conv2d(
        x,
        layer.kernel.read() as tf.Tensor4D,
        layer.strides as [number, number],
        layer.padding as 'same' | 'valid',
        'NHWC',
        layer.dilationRate as [number, number],
      );
      return layer.bias ? tf.add(y, layer.bias.read()) : y;
    });
  });
}
