// Corrections to tfjs-backend-webgpu 4.22 kernels that compute wrong values (docs/ARCHITECTURE.md,
// "WebGPU"). Its MaxPool3DGrad records each window's argmax as wD·fH·fH + wR·fW + wC but reads it
// back as wD·fH·fW + wR·fW + wC, so any pool window whose height and width differ sends the
// gradient to the wrong input. The fix rewrites that one expression in the positions shader; the
// kernel is otherwise tfjs's own. If tfjs fixes the shader, the text is no longer found and nothing
// changes.
import type * as tfjs from '@tensorflow/tfjs';

const WRONG = 'wD * uniforms.filterDims.y * uniforms.filterDims.y';
const RIGHT = 'wD * uniforms.filterDims.y * uniforms.filterDims.z';

interface Program {
  shaderKey: string;
  getUserCode(): string;
}
interface ProgramRunner {
  runWebGPUProgram(program: Program, ...rest: unknown[]): unknown;
}

function fixPositions(program: Program): void {
  if (!program.shaderKey.startsWith('pool3D_max_true')) return;
  const original = program.getUserCode.bind(program);
  program.getUserCode = () => original().replace(WRONG, RIGHT);
  program.shaderKey += '_fixedPositions';
}

let installed = false;

/** Re-registers the webgpu kernels that need a correction; call once the backend is registered. */
export function installWebGpuKernelFixes(tf: typeof tfjs): void {
  if (installed) return;
  const grad = tf.getKernel('MaxPool3DGrad', 'webgpu');
  if (!grad) return;
  installed = true;
  const kernelFunc: tfjs.KernelFunc = (args) => {
    const backend = args.backend as unknown as ProgramRunner;
    const run = backend.runWebGPUProgram;
    // An own property shadows the prototype's method for this synchronous call only.
    backend.runWebGPUProgram = (program, ...rest) => {
      fixPositions(program);
      return run.call(backend, program, ...rest);
    };
    try {
      return grad.kernelFunc(args);
    } finally {
      delete (backend as Partial<ProgramRunner>).runWebGPUProgram;
    }
  };
  tf.unregisterKernel('MaxPool3DGrad', 'webgpu');
  tf.registerKernel({ ...grad, kernelFunc });
}
