// Compute backend selection (DESIGN §6): tfjs-node-gpu → tfjs-node → wasm → pure-JS cpu. The first
// that loads wins; the result says which one and why the faster ones were passed over.
import * as tf from '@tensorflow/tfjs';

/** What a user may ask for: 'auto' picks the fastest that loads; 'js' is the pure-JavaScript cpu backend. */
export const BACKEND_CHOICES = ['auto', 'gpu', 'cpu', 'wasm', 'js'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendId = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  id: BackendId;
  /** For the UI badge, e.g. "GPU (CUDA)", "CPU (libtensorflow)", "CPU (WebAssembly)", "CPU (JavaScript)". */
  label: string;
  /** Why this backend, e.g. "no GPU: @tensorflow/tfjs-node-gpu is not installed; no native libtensorflow: …; using WebAssembly (XNNPACK)". */
  reason: string;
  tf: typeof tf;
}

export const BACKEND_LABELS: Record<BackendId, string> = {
  'tensorflow-gpu': 'GPU (CUDA)',
  tensorflow: 'CPU (libtensorflow)',
  wasm: 'CPU (WebAssembly)',
  cpu: 'CPU (JavaScript)',
};

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

let current: BackendInfo | null = null;

// Production mode: no debug checks, and no "install the node backend" banner in users' output —
// the backend choice and its reason are reported by Netwright itself.
tf.enableProdMode();

/** Select and initialise a backend. Repeated calls with the same choice return the same result. */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (current && (choice === 'auto' || backendMatches(current.id, choice))) return current;
  const skipped: string[] = [];
  const done = (id: BackendId, t: typeof tf, reason: string): BackendInfo => {
    current = { id, label: BACKEND_LABELS[id], reason, tf: t };
    return current;
  };

  if (choice === 'auto' || choice === 'gpu') {
    const gpu = await tryNative('@tensorflow/tfjs-node-gpu');
    if (gpu.ok) return done('tensorflow-gpu', gpu.tf, 'CUDA GPU through @tensorflow/tfjs-node-gpu');
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

function backendMatches(id: BackendId, choice: BackendChoice): boolean {
  return (
    (choice === 'gpu' && id === 'tensorflow-gpu') ||
    (choice === 'cpu' && id === 'tensorflow') ||
    (choice === 'wasm' && id === 'wasm') ||
    (choice === 'js' && id === 'cpu')
  );
}
