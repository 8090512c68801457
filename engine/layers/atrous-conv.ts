// Dilated convolutions that train. tfjs-core has no gradient for a convolution with dilation > 1 (the
// plain and the fused Conv2D and Conv3D all refuse), so a dilated Conv1D/2D/3D layer computes its convolution
// the way TensorFlow does (atrous convolution): space-to-batch, a plain stride-1 convolution,
// batch-to-space. All three have gradients on every backend, and the numbers equal the dilated
// convolution's. Only the layer's call changes: its weights and saved config (a standard tfjs Conv1D
// or Conv2D with dilationRate) stay the same, so saved models load anywhere and ONNX export still
// emits one dilated Conv. See docs/ARCHITECTURE.md, "Dilated convolutions".
import type * as tfjs from '@tensorflow/tfjs';

type Padding = 'valid' | 'same';

/** The parts of a tfjs Conv1D/Conv2D layer the atrous call reads (public at run time). */
interface ConvLayerView {
  rank: number;
  padding: string;
  dilationRate: number | number[];
  kernel: { read(): tfjs.Tensor };
  bias?: { read(): tfjs.Tensor } | null;
  activation?: { apply(x: tfjs.Tensor): tfjs.Tensor } | null;
  call(inputs: tfjs.Tensor | tfjs.Tensor[], kwargs: Record<string, unknown>): tfjs.Tensor | tfjs.Tensor[];
}

const CONV_CLASSES = new Set(['Conv1D', 'Conv2D', 'Conv3D']);

function dilationsOf(layer: ConvLayerView): number[] {
  const d = layer.dilationRate;
  return Array.isArray(d) ? d : Array.from({ length: layer.rank }, () => d);
}

/**
 * Space-to-batch paddings and batch-to-space crops for a stride-1 dilated convolution (TensorFlow's
 * `required_space_to_batch_paddings`): 'same' pads (k−1)·d in total, the odd one at the end; each
 * padded size is then rounded up to a multiple of the dilation and the extra is cropped afterwards.
 */
export function atrousPaddings(
  spatial: number[],
  kernel: number[],
  dilations: number[],
  padding: Padding,
): { paddings: [number, number][]; crops: [number, number][] } {
  const paddings: [number, number][] = [];
  const crops: [number, number][] = [];
  spatial.forEach((size, i) => {
    const total = padding === 'same' ? (kernel[i] - 1) * dilations[i] : 0;
    const before = Math.floor(total / 2);
    const after = total - before;
    const extra = (dilations[i] - ((size + total) % dilations[i])) % dilations[i];
    paddings.push([before, after + extra]);
    crops.push([0, extra]);
  });
  return { paddings, crops };
}

/**
 * y = conv(x, kernel, stride 1, dilation `dilations`) for channels-last x of 2 or 3 spatial axes,
 * through space-to-batch.
 */
export function atrousConv(
  tf: typeof tfjs,
  x: tfjs.Tensor,
  kernel: tfjs.Tensor,
  dilations: number[],
  padding: Padding,
): tfjs.Tensor {
  const rank = dilations.length;
  const { paddings, crops } = atrousPaddings(
    x.shape.slice(1, rank + 1),
    kernel.shape.slice(0, rank),
    dilations,
    padding,
  );
  if (rank === 3) return atrousConv3d(tf, x, kernel as tfjs.Tensor5D, dilations, paddings, crops);
  const spread = tf.spaceToBatchND(x, dilations, paddings);
  const y = tf.conv2d(spread as tfjs.Tensor4D, kernel as tfjs.Tensor4D, 1, 'valid');
  return tf.batchToSpaceND(y, dilations, crops);
}

/**
 * The 3-D case with space-to-batch done one spatial axis at a time (reshape, transpose), and the
 * padding and cropping done on a rank-3 view of one axis: the WebGPU backend's SpaceToBatchND and
 * BatchToSpaceND stop at rank 4 and its rank-5 Pad (the gradient of a rank-5 slice too) does not
 * compile, while these ops run on every backend, with gradients. The batch order differs from
 * SpaceToBatchND's, which does not matter: each batch entry is convolved on its own and put back.
 */
function atrousConv3d(
  tf: typeof tfjs,
  x: tfjs.Tensor,
  kernel: tfjs.Tensor5D,
  dilations: number[],
  paddings: [number, number][],
  crops: [number, number][],
): tfjs.Tensor {
  const axes = [1, 2, 3].filter((a) => dilations[a - 1] > 1);
  let spread = x;
  for (const a of [1, 2, 3]) {
    const [before, after] = paddings[a - 1];
    if (before || after)
      spread = alongAxis(tf, spread, a, (v) =>
        tf.pad(v, [
          [0, 0],
          [before, after],
          [0, 0],
        ]),
      );
  }
  for (const a of axes) spread = axisToBatch(tf, spread, a, dilations[a - 1]);
  let y: tfjs.Tensor = tf.conv3d(spread as tfjs.Tensor5D, kernel, 1, 'valid');
  for (const a of [...axes].reverse()) y = batchToAxis(tf, y, a, dilations[a - 1]);
  for (const a of [1, 2, 3]) {
    const keep = y.shape[a] - crops[a - 1][1];
    if (keep < y.shape[a]) y = alongAxis(tf, y, a, (v) => tf.slice(v, [0, 0, 0], [-1, keep, -1]));
  }
  return y;
}

/** `f` applied to the [before, axis a, after] view of x (its middle length may change). */
function alongAxis(
  tf: typeof tfjs,
  x: tfjs.Tensor,
  a: number,
  f: (v: tfjs.Tensor3D) => tfjs.Tensor,
): tfjs.Tensor {
  const s = x.shape;
  const size = (dims: number[]) => dims.reduce((p, n) => p * n, 1);
  const y = f(tf.reshape(x, [size(s.slice(0, a)), s[a], size(s.slice(a + 1))]) as tfjs.Tensor3D);
  return tf.reshape(y, [...s.slice(0, a), y.shape[1] as number, ...s.slice(a + 1)]);
}

/** [b, …, n·d (axis a), …, c] → [d·b, …, n, …, c]: every d-th position along axis a, d phases. */
function axisToBatch(tf: typeof tfjs, x: tfjs.Tensor, a: number, d: number): tfjs.Tensor {
  const s = x.shape;
  const split = [...s.slice(0, a), s[a] / d, d, ...s.slice(a + 1)];
  const perm = [a + 1, ...split.keys()].filter((i, k) => k === 0 || i !== a + 1);
  const phasesFirst = tf.transpose(tf.reshape(x, split), perm);
  return tf.reshape(phasesFirst, [d * s[0], ...s.slice(1, a), s[a] / d, ...s.slice(a + 1)]);
}

/** The inverse of axisToBatch: [d·b, …, n, …, c] → [b, …, n·d, …, c]. */
function batchToAxis(tf: typeof tfjs, y: tfjs.Tensor, a: number, d: number): tfjs.Tensor {
  const s = y.shape;
  const phasesFirst = tf.reshape(y, [d, s[0] / d, ...s.slice(1)]);
  // [d, b, s1, s2, s3, c] → [b, s1, …, s_a, d, …, c]
  const perm = [
    1,
    ...Array.from({ length: a }, (_, i) => i + 2),
    0,
    ...Array.from({ length: 4 - a }, (_, i) => a + 2 + i),
  ];
  const interleaved = tf.transpose(phasesFirst, perm);
  return tf.reshape(interleaved, [s[0] / d, ...s.slice(1, a), s[a] * d, ...s.slice(a + 1)]);
}

function atrousCall(tf: typeof tfjs, layer: ConvLayerView, input: tfjs.Tensor): tfjs.Tensor {
  const padding = layer.padding as Padding;
  const d = dilationsOf(layer);
  let y: tfjs.Tensor;
  if (layer.rank === 1) {
    // Conv1D is a Conv2D over a height-1 image, as in tfjs: x [b, steps, c] → [b, 1, steps, c].
    const kernel = tf.expandDims(layer.kernel.read(), 0);
    y = tf.squeeze(atrousConv(tf, tf.expandDims(input, 1), kernel, [1, d[0]], padding), [1]);
  } else {
    y = atrousConv(tf, input, layer.kernel.read(), d, padding);
  }
  // The bias as [1, …, 1, filters]: WebGPU's add of a 1-D tensor to a rank-5 one does not compile.
  if (layer.bias) y = tf.add(y, tf.reshape(layer.bias.read(), [...y.shape.slice(0, -1).map(() => 1), -1]));
  return layer.activation ? layer.activation.apply(y) : y;
}

/**
 * Make a tfjs Conv1D/2D/3D layer with dilation > 1 trainable by computing it as an atrous
 * convolution; other layers are returned unchanged. Applied by the layer's builder and to models
 * rebuilt from their JSON (data-parallel replicas).
 */
export function trainableDilatedConv<L extends tfjs.layers.Layer>(tf: typeof tfjs, layer: L): L {
  if (!CONV_CLASSES.has(layer.getClassName())) return layer;
  const view = layer as unknown as ConvLayerView;
  if (dilationsOf(view).every((d) => d === 1)) return layer;
  view.call = (inputs) => tf.tidy(() => atrousCall(tf, view, Array.isArray(inputs) ? inputs[0] : inputs));
  return layer;
}

/** trainableDilatedConv for every layer of a model built from its JSON topology. */
export function trainableDilatedConvs(tf: typeof tfjs, model: tfjs.LayersModel): void {
  for (const layer of model.layers) trainableDilatedConv(tf, layer);
}
