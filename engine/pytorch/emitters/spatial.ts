// Convolutions and poolings, run channels-first. TensorFlow's 'same' padding puts the odd pixel at
// the end: symmetric cases use PyTorch's own padding argument, the rest a SamePad submodule
// (resources/pytorch/helpers, see docs/SCALE-OUT.md).
import {
  edgePairs,
  type CroppingParams,
  type EdgeRank,
  type PaddingParams,
} from '../../layers/padding-cropping.ts';
import type { TensorData } from '../../data/types.ts';
import type { Shape } from '../../layers/types.ts';
import type { TorchEmitter, TorchModule, TorchNode } from '../emitter-types.ts';
import { registerTorch } from '../registry.ts';
import { applyActivation, kwargs } from '../python.ts';
import { inversePerm, permute } from '../tensors.ts';
import { activationProblem, kernelPenalty, tupleOf, weight } from './common.ts';

/** Per spatial axis, TensorFlow's total 'same' padding, or null when it depends on an unknown size. */
function sameTotals(
  spatial: Shape,
  kernel: number[],
  stride: number[],
  dilation: number[],
): (number | null)[] {
  return kernel.map((k, i) => {
    const span = (k - 1) * dilation[i] + 1;
    if (stride[i] === 1) return span - 1;
    const len = spatial[i];
    if (len === null) return null;
    return Math.max((Math.ceil(len / stride[i]) - 1) * stride[i] + span - len, 0);
  });
}

/** Symmetric padding per axis for PyTorch's `padding=`, or null when TensorFlow pads unevenly. */
function symmetricPadding(totals: (number | null)[]): number[] | null {
  return totals.every((t) => t !== null && t % 2 === 0) ? totals.map((t) => (t as number) / 2) : null;
}

/** One number for 1D layers, a tuple for 2D (as PyTorch's own signatures read). */
export const arg = (values: number[]) => (values.length === 1 ? values[0] : values);

interface Window {
  rank: number;
  kernel: number[];
  stride: number[];
  dilation: number[];
  same: boolean;
  /** Symmetric 'same' padding, when PyTorch's padding argument can express it. */
  padding: number[] | null;
}

export function windowOf(n: TorchNode, rank: number, kernelParam: string, strideParam: string): Window {
  const kernel = tupleOf(n.params[kernelParam], rank);
  const stride = tupleOf(n.params[strideParam] ?? n.params[kernelParam], rank);
  const dilation = tupleOf(n.params.dilationRate ?? 1, rank);
  const same = n.params.padding === 'same';
  const spatial = n.inputShapes[0].slice(0, rank);
  return {
    rank,
    kernel,
    stride,
    dilation,
    same,
    padding: same ? symmetricPadding(sameTotals(spatial, kernel, stride, dilation)) : null,
  };
}

export const needsSamePad = (w: Window) => w.same && w.padding === null;

export function samePadModule(n: TorchNode, w: Window, value?: string): TorchModule {
  const args = kwargs({
    kernel_size: w.kernel,
    stride: w.stride,
    dilation: w.dilation.some((d) => d > 1) ? w.dilation : undefined,
  });
  return { name: `${n.attr}_pad`, init: `SamePad(${args}${value ? `, value=${value}` : ''})` };
}

/** A layer's `kernel` (and `bias`) ↔ `<attr>.weight` (and `.bias`), the kernel's axes permuted by `perm`. */
export const kernelAndBias = (perm: number[]): Pick<TorchEmitter, 'toTorch' | 'toTfjs'> => ({
  toTorch: (n, weights) => {
    const out = new Map<string, TensorData>([
      [`${n.attr}.weight`, permute(weight(weights, 'kernel', n), perm)],
    ]);
    if (weights.has('bias')) out.set(`${n.attr}.bias`, weights.get('bias')!);
    return out;
  },
  toTfjs: (n, state) => {
    const out = new Map<string, TensorData>([
      ['kernel', permute(state(`${n.attr}.weight`), inversePerm(perm))],
    ]);
    if (n.params.useBias !== false) out.set('bias', state(`${n.attr}.bias`));
    return out;
  },
});

const conv = (rank: 1 | 2 | 3) => {
  const perm = [
    [2, 1, 0],
    [3, 2, 0, 1],
    [4, 3, 0, 1, 2],
  ][rank - 1];
  registerTorch(`Conv${rank}D`, {
    check: activationProblem,
    inputLayout: () => 'cf',
    modules: (n) => {
      const w = windowOf(n, rank, 'kernelSize', 'strides');
      const inChannels = n.inputShapes[0][rank];
      const args = kwargs({
        kernel_size: arg(w.kernel),
        stride: w.stride.some((s) => s > 1) ? arg(w.stride) : undefined,
        padding: w.padding && w.padding.some((p) => p > 0) ? arg(w.padding) : undefined,
        dilation: w.dilation.some((d) => d > 1) ? arg(w.dilation) : undefined,
        bias: n.params.useBias === false ? false : undefined,
      });
      const convModule = {
        name: n.attr,
        init: `nn.Conv${rank}d(${inChannels}, ${n.params.filters}, ${args})`,
      };
      return needsSamePad(w) ? [samePadModule(n, w), convModule] : [convModule];
    },
    forward: (n, [x]) => {
      const w = windowOf(n, rank, 'kernelSize', 'strides');
      const input = needsSamePad(w) ? `self.${n.attr}_pad(${x})` : x;
      return {
        expr: applyActivation(String(n.params.activation ?? 'linear'), `self.${n.attr}(${input})`, 1),
      };
    },
    ...kernelAndBias(perm),
    regularizer: (n) => kernelPenalty(n, 'weight'),
  });
};
conv(1);
conv(2);
conv(3);

const pool = (kind: 'Max' | 'Average', rank: 1 | 2 | 3) =>
  registerTorch(`${kind}Pooling${rank}D`, {
    inputLayout: () => 'cf',
    modules: (n) => {
      const w = windowOf(n, rank, 'poolSize', 'strides');
      const torchName = `${kind === 'Max' ? 'Max' : 'Avg'}Pool${rank}d`;
      const base = { kernel_size: arg(w.kernel), stride: arg(w.stride) };
      if (!w.same) return [{ name: n.attr, init: `nn.${torchName}(${kwargs(base)})` }];
      if (w.padding) {
        // Padded cells are left out of TensorFlow's averages (and never win a max).
        const extra = kind === 'Average' ? { count_include_pad: false } : {};
        return [
          {
            name: n.attr,
            init: `nn.${torchName}(${kwargs({ ...base, padding: arg(w.padding), ...extra })})`,
          },
        ];
      }
      if (kind === 'Average')
        return [
          { name: n.attr, init: `AvgPoolSame(${kwargs({ kernel_size: w.kernel, stride: w.stride })})` },
        ];
      return [
        samePadModule(n, w, "float('-inf')"),
        { name: n.attr, init: `nn.${torchName}(${kwargs(base)})` },
      ];
    },
    forward: (n, [x]) => {
      const w = windowOf(n, rank, 'poolSize', 'strides');
      const padded = kind === 'Max' && needsSamePad(w) ? `self.${n.attr}_pad(${x})` : x;
      return { expr: `self.${n.attr}(${padded})` };
    },
  });
pool('Max', 1);
pool('Max', 2);
pool('Average', 1);
pool('Average', 2);
pool('Max', 3);
pool('Average', 3);

const edges = (rank: EdgeRank) => {
  registerTorch<PaddingParams>(`ZeroPadding${rank}D`, {
    inputLayout: () => 'cf',
    forward: (n, [x]) => {
      // F.pad takes the last axis first.
      const pads = edgePairs(rank, n.params).reverse().flat();
      return { expr: `F.pad(${x}, (${pads.join(', ')}))` };
    },
  });
  registerTorch<CroppingParams>(`Cropping${rank}D`, {
    inputLayout: () => 'cf',
    forward: (n, [x]) => {
      const slices = edgePairs(rank, n.params).map(([b, a]) => `${b}:${a ? -a : ''}`);
      return { expr: `${x}[:, :, ${slices.join(', ')}]` };
    },
  });
};
edges(1);
edges(2);
