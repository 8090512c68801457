// Explicit ONNX pads for tfjs/Keras padding modes. tfjs 'same' pads so that out = ceil(in / stride)
// and puts the odd extra pixel at the END of each axis (TensorFlow's rule); ONNX's `pads` lists all
// begins then all ends.

export interface WindowSpec {
  kernel: number[];
  strides: number[];
  dilations?: number[];
}

/**
 * Pads for one 'same' window op; null when a size is unknown and its stride is above 1 (then the
 * pads depend on the size). With stride 1 the total is always span − 1, so no size is needed —
 * which matters for dilated convolutions: onnxruntime refuses dilation with auto_pad.
 */
export function samePads(spatial: (number | null)[], w: WindowSpec): number[] | null {
  if (spatial.some((d, i) => d === null && w.strides[i] !== 1)) return null;
  const begins: number[] = [];
  const ends: number[] = [];
  spatial.forEach((size, i) => {
    const stride = w.strides[i];
    const span = (w.kernel[i] - 1) * (w.dilations?.[i] ?? 1) + 1;
    const n = size ?? span; // stride 1: the total below does not depend on n
    const out = Math.ceil(n / stride);
    const total = Math.max((out - 1) * stride + span - n, 0);
    begins.push(Math.floor(total / 2));
    ends.push(total - Math.floor(total / 2));
  });
  return [...begins, ...ends];
}

/**
 * The pads/auto_pad attributes for a window op: explicit pads from the static input shape; when a
 * spatial size is unknown, SAME_UPPER, which is the same rule evaluated by the runtime.
 */
export function windowPadding(
  padding: string,
  spatial: (number | null)[],
  w: WindowSpec,
): { pads?: number[]; auto_pad?: string } {
  if (padding === 'valid') return { pads: new Array<number>(2 * spatial.length).fill(0) };
  if (padding === 'causal')
    return { pads: [...w.kernel.map((k, i) => (k - 1) * (w.dilations?.[i] ?? 1)), ...w.kernel.map(() => 0)] };
  const pads = samePads(spatial, w);
  return pads ? { pads } : { auto_pad: 'SAME_UPPER' };
}
