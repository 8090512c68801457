// The WebGPU rung: Dawn (the `webgpu` package's dawn.node) gives Node a `navigator.gpu`, and
// @tensorflow/tfjs-backend-webgpu runs on it. Dawn drives Vulkan on Linux, D3D12 on Windows and
// Metal on macOS, and works in worker threads, so it loads wherever the engine runs (CLI, serve,
// the Electron training worker). See docs/ARCHITECTURE.md, "Compute backends".
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { driverAdvice, softwareRenderer, type AdapterFacts } from './webgpu-adapter.ts';
import { watchDevice } from './webgpu-errors.ts';
import { installWebGpuKernelFixes } from './webgpu-kernel-fixes.ts';
import { installWebGpuConvFilterGrad } from './webgpu-conv-filter-grad.ts';

export type WebGpuProbe = { ok: true; facts: AdapterFacts } | { ok: false; why: string };

let probed: Promise<WebGpuProbe> | null = null;

/** The adapter tfjs-webgpu would use (high-performance preference), or why there is none. Cached. */
export function probeWebGpu(): Promise<WebGpuProbe> {
  probed ??= findAdapter();
  return probed;
}

async function findAdapter(): Promise<WebGpuProbe> {
  const noDriver = missingVulkanDriver();
  if (noDriver) return { ok: false, why: `${noDriver} (${driverAdvice()})` };
  let gpu: GPU;
  try {
    const dawn = await import('webgpu');
    gpu = dawn.create([]);
    installGlobals(dawn.globals as Record<string, unknown>, gpu);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      why: `Dawn (the webgpu package) failed to load (${msg.split('\n')[0].slice(0, 160)})`,
    };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return { ok: false, why: `Dawn found no GPU adapter (${driverAdvice()})` };
  return { ok: true, facts: adapterFacts(adapter) };
}

function adapterFacts(adapter: GPUAdapter): AdapterFacts {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacy),
  };
}

/** tfjs-webgpu reads navigator.gpu and the GPUBufferUsage/GPUMapMode/… constants from globalThis. */
function installGlobals(globals: Record<string, unknown>, gpu: GPU): void {
  for (const [name, value] of Object.entries(globals))
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true });
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
}

/**
 * On Linux, a sentence when no Vulkan driver manifest exists anywhere the Vulkan loader looks:
 * Dawn would find nothing and print loader warnings on stderr, so it is not started at all.
 */
function missingVulkanDriver(): string | null {
  if (process.platform !== 'linux') return null;
  const env = process.env;
  for (const name of ['VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'VK_ADD_DRIVER_FILES'])
    if (env[name]?.split(':').some((p) => p && existsSync(p))) return null;
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  const configDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':');
  const dirs = [
    ...configDirs,
    '/etc',
    env.XDG_DATA_HOME || path.join(os.homedir(), '.local/share'),
    ...dataDirs,
  ].map((d) => path.join(d, 'vulkan/icd.d'));
  const found = dirs.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
  return found ? null : 'no Vulkan driver is installed';
}

export type WebGpuStart = { ok: true; facts: AdapterFacts; tf: typeof tf } | { ok: false; why: string };

/** Probe, then make tfjs-webgpu the active tfjs backend (on any adapter, software included). */
export async function startWebGpu(): Promise<WebGpuStart> {
  const probe = await probeWebGpu();
  if (!probe.ok) return probe;
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
    installWebGpuKernelFixes(tf);
    installWebGpuConvFilterGrad(tf);
    if (!(await tf.setBackend('webgpu')))
      return { ok: false, why: 'the WebGPU backend did not initialise on this adapter' };
    await tf.ready();
    watchDevice((tf.backend() as unknown as { device: GPUDevice }).device);
    return { ok: true, facts: probe.facts, tf };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, why: `the WebGPU backend failed (${msg.split('\n')[0].slice(0, 160)})` };
  }
}

/** Why `auto` passes over this adapter, or null when it is a hardware GPU. */
export function autoRefusal(facts: AdapterFacts): string | null {
  const software = softwareRenderer(facts);
  return software
    ? `no hardware GPU for WebGPU: the only adapter is ${software}, a software renderer slower than the CPU backends (--backend webgpu uses it anyway)`
    : null;
}
