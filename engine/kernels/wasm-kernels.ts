// Kernels the tfjs WebAssembly backend lacks (gradients among them), registered by the project so
// every layer trains on wasm. Each is checked against the cpu backend in test/perf/.
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilter } from './conv2d-backprop-filter.ts';
import { conv2DBackpropInput } from './conv2d-backprop-input.ts';
import { registerWasmBatchMatMul } from './batch-matmul.ts';
import { registerWasmSum } from './sum-leading.ts';
import { registerWasmTile } from './tile.ts';
import { registerWasmAdd } from './add-row-vector.ts';
import { registerWasmSharingKernels } from './identity.ts';
import { registerWasmSamePadding } from './same-padding.ts';
import { registerWasmOneChannelConv2D } from './conv2d-one-channel.ts';
import { registerWasmWinogradConv2D } from './conv2d-winograd.ts';
import {
  depthwiseConv2dNativeBackpropFilter,
  depthwiseConv2dNativeBackpropInput,
} from './depthwise-backprop.ts';
import { unsortedSegmentSum } from './unsorted-segment-sum.ts';
import { maxPoolGrad } from './max-pool-grad.ts';
import { maxPool3DGradWasm } from './max-pool3d-grad.ts';
import { conv3DBackpropInputWasm } from './conv3d-backprop-input.ts';
import { installFusedLstm } from './fused-lstm.ts';
import { installFusedGru } from './fused-gru.ts';
import { installFusedBatchNorm } from './fused-batch-norm.ts';
import { installUnfusedConvTraining } from './conv-training-unfused.ts';
import { installFusedDense } from './fused-dense.ts';
import { installFusedConv } from './fused-conv.ts';
import { installFusedMaxPool1d } from './fused-max-pool1d.ts';
import { installFusedGlobalPool } from './fused-global-pool.ts';

const KERNELS: Record<string, (args: never) => tf.TensorInfo> = {
  Conv2DBackpropFilter: conv2DBackpropFilter,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dNativeBackpropInput,
  UnsortedSegmentSum: unsortedSegmentSum,
};

// Kernels the backend has but that are slow enough to dominate training (measured; see each file),
// or that compute wrong gradients (max-pool3d-grad.ts, conv3d-backprop-input.ts).
const REPLACEMENTS: Record<string, (args: never) => tf.TensorInfo> = {
  MaxPoolGrad: maxPoolGrad,
  MaxPool3DGrad: maxPool3DGradWasm,
  Conv2DBackpropInput: conv2DBackpropInput,
  Conv3DBackpropInputV2: conv3DBackpropInputWasm,
};

let registered = false;

export function registerMissingWasmKernels(): void {
  if (registered) return;
  registered = true;
  registerWasmBatchMatMul();
  registerWasmSum();
  registerWasmTile();
  registerWasmAdd();
  registerWasmSharingKernels();
  registerWasmSamePadding();
  registerWasmOneChannelConv2D();
  registerWasmWinogradConv2D();
  installFusedLstm();
  installFusedGru();
  installFusedBatchNorm();
  installUnfusedConvTraining();
  installFusedDense();
  installFusedConv(); // after the line above: it wraps the Conv2D call that one installs
  installFusedMaxPool1d();
  installFusedGlobalPool();
  for (const [kernelName, fn] of Object.entries(KERNELS)) {
    if (tf.getKernel(kernelName, 'wasm')) continue; // a newer tfjs may ship its own
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
  }
  for (const [kernelName, fn] of Object.entries(REPLACEMENTS)) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
  }
}
