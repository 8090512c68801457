// tfjs-core's gradient of Unpack (unstack) stacks the incoming gradients, but the tape hands a
// one-output op a single tensor instead of a list, so unstacking an axis of size 1 has no working
// gradient ("Argument tensors passed to stack must be a `Tensor[]`"). An RNN over a one-step
// sequence unstacks exactly that, so any layer before it could not train. This registers the same
// gradient, accepting either form; it is global to tfjs-core and applies to every backend.
import type * as tfjs from '@tensorflow/tfjs';

let registered = false;

export function registerUnpackGradient(tf: typeof tfjs): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'Unpack',
    gradFunc: (dy, _saved, attrs) => {
      const { axis } = attrs as unknown as { axis: number };
      const parts = Array.isArray(dy) ? dy : [dy];
      return { value: () => tf.stack(parts, axis) };
    },
  });
}
