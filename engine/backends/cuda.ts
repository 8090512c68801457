// The CUDA rung, told honestly: @tensorflow/tfjs-node-gpu loads on machines whose CUDA/cuDNN do not
// match its libtensorflow (it needs CUDA 11.2 + cuDNN 8.1 exactly) and then runs every op on the
// CPU without saying so. Its backend reports whether libtensorflow found a GPU device; when it did
// not, the badge says CPU and the reason says why.

/** What the loaded 'tensorflow' backend reports (NodeJSKernelBackend's fields). */
export interface CudaFacts {
  /** The backend was built from tfjs-node-gpu (libtensorflow with CUDA kernels). */
  isGPUPackage: boolean;
  /** libtensorflow found a CUDA device and places ops on it. */
  isUsingGpuDevice: boolean;
}

export interface CudaVerdict {
  onGpu: boolean;
  reason: string;
}

export function cudaVerdict(f: CudaFacts): CudaVerdict {
  if (f.isGPUPackage && f.isUsingGpuDevice)
    return { onGpu: true, reason: 'CUDA GPU through @tensorflow/tfjs-node-gpu' };
  if (!f.isGPUPackage)
    return {
      onGpu: false,
      reason: '@tensorflow/tfjs-node-gpu loaded a CPU-only libtensorflow, so it runs on the CPU',
    };
  return {
    onGpu: false,
    reason:
      '@tensorflow/tfjs-node-gpu loaded but libtensorflow found no usable CUDA device (it needs CUDA 11.2 and cuDNN 8.1), so it runs on the CPU',
  };
}

/** Reads the facts off a loaded tfjs-node(-gpu) module's active backend. */
export function cudaFactsOf(backend: object): CudaFacts {
  const b = backend as { isGPUPackage?: unknown; isUsingGpuDevice?: unknown };
  return { isGPUPackage: b.isGPUPackage === true, isUsingGpuDevice: b.isUsingGpuDevice === true };
}
