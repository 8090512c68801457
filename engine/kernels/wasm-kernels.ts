// Kernels the tfjs WebAssembly backend lacks (gradients among them), registered by the project so
// every layer trains on wasm. Filled in by the performance work (issue: train as fast as PyTorch).
export function registerMissingWasmKernels(): void {
  // Nothing registered yet.
}
