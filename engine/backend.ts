// Compute backend selection (docs/ARCHITECTURE.md, "Compute backends"). `auto` considers WebGPU on a hardware adapter (never a
// software renderer) and then the first that loads of tfjs-node-gpu → tfjs-node → wasm → pure-JS
// cpu; when both a GPU and a CPU rung are available and the caller can time its model, the faster
// for that model wins (engine/backends/auto-choice.ts). The result says which and why.
import * as tf from '@tensorflow/tfjs';
import { chooseFastest, type TimedCandidate } from './backends/auto-choice.ts';
import { cudaFactsOf, cudaVerdict } from './backends/cuda.ts';
import { autoRefusal, probeWebGpu, startWebGpu } from './backends/webgpu.ts';
import { registerCpuKernelFixes } from './kernels/cpu-kernel-fixes.ts';
import { takeDeviceError } from './backends/webgpu-errors.ts';
import { adapterName, webgpuLabel } from './backends/webgpu-adapter.ts';
import { optimiseSooner } from './backends/jit-budget.ts';

/** What a user may ask for: 'auto' picks the fastest that loads; 'js' is the pure-JavaScript cpu backend. */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'gpu', 'cpu', 'wasm', 'js'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendId = 'webgpu' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  id: BackendId;
  /** For the UI badge, e.g. "GPU (WebGPU · NVIDIA H200 · Vulkan)", "CPU (WebAssembly)". */
  label: string;
  /** Why this backend, e.g. "no GPU: @tensorflow/tfjs-node-gpu is not installed; no native libtensorflow: …; using WebAssembly (XNNPACK)". */
  reason: string;
  /** WebGPU on a software renderer (SwiftShader…): correct, but a CPU emulation, never a GPU figure. */
  software?: boolean;
  tf: typeof tf;
}

export const BACKEND_LABELS: Record<Exclude<BackendId, 'webgpu'>, string> = {
  'tensorflow-gpu': 'GPU (CUDA)',
  tensorflow: 'CPU (libtensorflow)',
  wasm: 'CPU (WebAssembly)',
  cpu: 'CPU (JavaScript)',
};

/** tfjs' own name of each backend (tf.setBackend). */
const TFJS_NAMES: Record<BackendId, string> = {
  webgpu: 'webgpu',
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Milliseconds per training step of the caller's model on the active tfjs backend. */
export type StepTimer = (t: typeof tf) => Promise<number>;

export interface SelectOptions {
  /**
   * `auto` with a hardware GPU: time this model on it and on the CPU rung and keep the faster.
   * Without it `auto` keeps to the CPU rung (and says a GPU is there).
   */
  timeStep?: StepTimer;
}

type Attempt = { ok: true; tf: typeof tf } | { ok: false; why: string };

/** Why a native package failed to load, in a few words (the reason text of BackendInfo). */
export function describeLoadError(pkg: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // Only the package itself: a missing dependency of an installed package is a load failure.
  if (msg.includes(`Cannot find package '${pkg}'`) || msg.includes(`Cannot find module '${pkg}'`)) {
    return `${pkg} is not installed`;
  }
  // Before the libtensorflow test: a missing CUDA library is reported by the binding's dlopen, whose
  // message names tfjs_binding.node too.
  if (/cuda|cudnn|libcu/i.test(msg)) return `${pkg} found no usable CUDA/cuDNN`;
  if (/tfjs_binding|libtensorflow|\.node\b/i.test(msg))
    return `${pkg} is installed but libtensorflow is missing`;
  return `${pkg} failed to load (${msg.split('\n')[0].slice(0, 160)})`;
}

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<Attempt> {
  try {
    // The native packages register the 'tensorflow' backend on the shared tfjs-core instance.
    const mod = (await import(pkg)) as typeof tf;
    await mod.setBackend('tensorflow');
    await mod.ready();
    return { ok: true, tf: mod };
  } catch (err) {
    return { ok: false, why: describeLoadError(pkg, err) };
  }
}

async function tryWasm(): Promise<Attempt> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    const { registerMissingWasmKernels } = await import('./kernels/wasm-kernels.ts');
    registerMissingWasmKernels();
    optimiseSooner();
    if (!(await tf.setBackend('wasm')))
      return { ok: false, why: 'the WebAssembly backend did not initialise' };
    await tf.ready();
    return { ok: true, tf };
  } catch (err) {
    return {
      ok: false,
      why: `the WebAssembly backend failed (${err instanceof Error ? err.message : String(err)})`,
    };
  }
}

async function useCpu(): Promise<typeof tf> {
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

const cache = new Map<BackendChoice, BackendInfo>();

// Production mode: no debug checks, and no "install the node backend" banner in users' output —
// the backend choice and its reason are reported by Netwright itself.
tf.enableProdMode();

/**
 * Select and initialise a backend. Repeated calls with the same choice return the same result
 * (and make its backend the active one again); `auto` with `timeStep` measures each time.
 */
export async function selectBackend(
  choice: BackendChoice = 'auto',
  o: SelectOptions = {},
): Promise<BackendInfo> {
  registerCpuKernelFixes();
  const known = cache.get(choice);
  if (known && !(choice === 'auto' && o.timeStep)) {
    if (known.tf.getBackend() !== TFJS_NAMES[known.id]) await known.tf.setBackend(TFJS_NAMES[known.id]);
    return known;
  }
  const info =
    choice === 'auto'
      ? await selectAuto(o)
      : choice === 'webgpu'
        ? await selectWebGpu()
        : await ladder(choice);
  cache.set(choice, info);
  return info;
}

async function selectWebGpu(): Promise<BackendInfo> {
  const gpu = await startWebGpu();
  if (!gpu.ok) throw new Error(`WebGPU backend unavailable: ${gpu.why}.`);
  const software = autoRefusal(gpu.facts) !== null;
  const note = software ? ' (a software renderer: correct, but slower than the CPU backends)' : '';
  return {
    id: 'webgpu',
    label: webgpuLabel(gpu.facts),
    reason: `WebGPU on ${adapterName(gpu.facts)}${note}, as requested`,
    software,
    tf: gpu.tf,
  };
}

async function selectAuto(o: SelectOptions): Promise<BackendInfo> {
  const probe = await probeWebGpu();
  const refusal = probe.ok ? autoRefusal(probe.facts) : `no WebGPU: ${probe.why}`;
  const cpu = await ladder('auto');
  if (refusal || !probe.ok) return { ...cpu, reason: `${refusal}; ${cpu.reason}` };
  // Without a model to time, stay on the CPU rung: export and the other synchronous readers need it.
  if (!o.timeStep)
    return {
      ...cpu,
      reason: `${cpu.reason}; WebGPU on ${adapterName(probe.facts)} is also available, and training times each model on both`,
    };
  const gpu = await startWebGpu();
  if (!gpu.ok) {
    await cpu.tf.setBackend(TFJS_NAMES[cpu.id]);
    return { ...cpu, reason: `no WebGPU: ${gpu.why}; ${cpu.reason}` };
  }
  const gpuInfo: BackendInfo = {
    id: 'webgpu',
    label: webgpuLabel(gpu.facts),
    reason: `WebGPU on ${adapterName(gpu.facts)}, a hardware GPU`,
    tf: gpu.tf,
  };
  const timed: TimedCandidate<BackendInfo>[] = [];
  for (const candidate of [gpuInfo, cpu]) {
    await candidate.tf.setBackend(TFJS_NAMES[candidate.id]);
    const name =
      candidate.id === 'webgpu' ? `WebGPU on ${adapterName(gpu.facts)}` : CANDIDATE_NAMES[candidate.id];
    try {
      const msPerStep = await o.timeStep(candidate.tf);
      // A GPU step on a buffer the device could not hold does nothing, quickly: not a timing.
      const deviceError = candidate.id === 'webgpu' ? takeDeviceError() : null;
      if (deviceError) throw new Error(deviceError.split('\n')[0]);
      timed.push({ value: candidate, name, msPerStep });
    } catch (err) {
      timed.push({
        value: candidate,
        name,
        msPerStep: null,
        failure: err instanceof Error ? err.message : String(err),
      });
    }
  }
  const pick = chooseFastest(timed);
  await pick.value.tf.setBackend(TFJS_NAMES[pick.value.id]);
  return { ...pick.value, reason: `${pick.reason} (measured on this model)` };
}

const CANDIDATE_NAMES: Record<BackendId, string> = {
  webgpu: 'WebGPU',
  'tensorflow-gpu': 'CUDA',
  tensorflow: 'libtensorflow',
  wasm: 'WebAssembly',
  cpu: 'JavaScript',
};

/** The native → wasm → cpu ladder: `auto` takes the first that loads, others exactly the one asked for. */
async function ladder(choice: Exclude<BackendChoice, 'webgpu'>): Promise<BackendInfo> {
  const skipped: string[] = [];
  const done = (
    id: Exclude<BackendId, 'webgpu'>,
    t: typeof tf,
    reason: string,
    label = BACKEND_LABELS[id],
  ): BackendInfo => ({
    id,
    label,
    reason,
    tf: t,
  });

  if (choice === 'auto' || choice === 'gpu') {
    const gpu = await tryNative('@tensorflow/tfjs-node-gpu');
    if (gpu.ok) {
      const verdict = cudaVerdict(cudaFactsOf(gpu.tf.backend()));
      if (verdict.onGpu) return done('tensorflow-gpu', gpu.tf, verdict.reason);
      if (choice === 'gpu') throw new Error(`GPU backend unavailable: ${verdict.reason}.`);
      return done('tensorflow', gpu.tf, verdict.reason, 'CPU (libtensorflow)');
    }
    skipped.push(`no GPU: ${gpu.why}`);
    if (choice === 'gpu') throw new Error(`GPU backend unavailable: ${gpu.why}.`);
  }
  if (choice === 'auto' || choice === 'cpu') {
    const native = await tryNative('@tensorflow/tfjs-node');
    if (native.ok) return done('tensorflow', native.tf, [...skipped, 'native libtensorflow CPU'].join('; '));
    skipped.push(`no native libtensorflow: ${native.why}`);
    if (choice === 'cpu') throw new Error(`libtensorflow CPU backend unavailable: ${native.why}.`);
  }
  if (choice === 'auto' || choice === 'wasm') {
    const wasm = await tryWasm();
    if (wasm.ok) return done('wasm', wasm.tf, [...skipped, 'using WebAssembly (XNNPACK)'].join('; '));
    skipped.push(wasm.why);
    if (choice === 'wasm') throw new Error(`WebAssembly backend unavailable: ${wasm.why}.`);
  }
  return done('cpu', await useCpu(), [...skipped, 'using the pure-JavaScript backend'].join('; '));
}
