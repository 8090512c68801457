// The cpu backend's kernels that tfjs 4.22 gets wrong, replaced once per process (max-pool3d-grad.ts
// and resize-grad.ts say what is wrong with each). Registered whatever backend is chosen: the cpu
// backend is also reached by name, as the reference the other backends are compared with.
import * as tf from '@tensorflow/tfjs';
import { maxPool3DGradCpu } from './max-pool3d-grad.ts';
import { resizeBilinearGradWithImageShape, resizeNearestNeighborGradCpu } from './resize-grad.ts';

/** What these kernels use of tfjs's cpu backend. */
export interface CpuBackend {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

function replaceCpuKernel(kernelName: string, make: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const kernel = tf.getKernel(kernelName, 'cpu');
  if (!kernel || (kernel.kernelFunc as { netwright?: boolean }).netwright) return;
  const kernelFunc = make(kernel.kernelFunc);
  (kernelFunc as { netwright?: boolean }).netwright = true;
  tf.unregisterKernel(kernelName, 'cpu');
  tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc });
}

export function registerCpuKernelFixes(): void {
  replaceCpuKernel('MaxPool3DGrad', () => maxPool3DGradCpu as unknown as tf.KernelFunc);
  replaceCpuKernel(
    'ResizeNearestNeighborGrad',
    () => resizeNearestNeighborGradCpu as unknown as tf.KernelFunc,
  );
  replaceCpuKernel('ResizeBilinearGrad', resizeBilinearGradWithImageShape);
}
