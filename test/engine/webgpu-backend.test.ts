// The WebGPU rung on a real Dawn adapter: SwiftShader, the software Vulkan driver from Debian's
// chromium. `--backend webgpu` runs on it (and the test fails if tfjs silently stays on a CPU
// backend); `auto` refuses it as a software renderer and says so. The adapter words, the per-model
// choice and the CUDA verdict are pure functions, checked on the values real drivers report: a
// hardware GPU adapter cannot exist on this machine or in CI, so the hardware side of `auto` is
// exercised with injected step timings.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { selectBackend } from '../../engine/backend.ts';
import { chooseFastest } from '../../engine/backends/auto-choice.ts';
import { cudaVerdict } from '../../engine/backends/cuda.ts';
import { describeDeviceError } from '../../engine/backends/webgpu-errors.ts';
import {
  adapterName,
  softwareRenderer,
  webgpuLabel,
  type AdapterFacts,
} from '../../engine/backends/webgpu-adapter.ts';
import { loadExample } from '../../engine/examples.ts';
import { timeTrainingSteps } from '../../engine/train/step-timer.ts';
import { ROOT } from '../cli/run-cli.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

useSwiftShader();

const facts = (f: Partial<AdapterFacts>): AdapterFacts => ({
  vendor: '',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
  ...f,
});

// What Dawn reports for SwiftShader on this machine (GPUAdapterInfo).
const SWIFTSHADER = facts({
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
  isFallbackAdapter: true,
});

describe('WebGPU through Dawn', () => {
  it('--backend webgpu runs tfjs on the SwiftShader adapter and names it', async () => {
    const b = await selectBackend('webgpu');
    expect(b.id).toBe('webgpu');
    expect(b.tf.getBackend()).toBe('webgpu');
    expect(b.label).toBe('Software (WebGPU · Google SwiftShader · Vulkan)');
    expect(b.reason).toMatch(/^WebGPU on Google SwiftShader \(a software renderer/);
    // Large enough that tfjs-webgpu does not hand it to its CPU fallback (1000 elements).
    const x = b.tf.range(0, 4096);
    const y = b.tf.square(x);
    const values = await y.data();
    expect(values[4095]).toBe(4095 * 4095);
    expect(b.tf.engine().backendName).toBe('webgpu');
    b.tf.dispose([x, y]);
  });

  it('auto passes over the software adapter, says why, and never times it', async () => {
    const timeStep = vi.fn(async () => 1);
    const b = await selectBackend('auto', { timeStep });
    expect(b.id).toBe('wasm');
    expect(b.tf.getBackend()).toBe('wasm');
    expect(b.reason.split('; ')[0]).toBe(
      'no hardware GPU for WebGPU: the only adapter is SwiftShader, a software renderer slower than the CPU backends (--backend webgpu uses it anyway)',
    );
    expect(timeStep).not.toHaveBeenCalled();
  });

  it('times real training steps of a model on webgpu and on wasm', async () => {
    const graph = (await loadExample('iris-mlp')).graph;
    const options = {
      graph,
      batchSize: 8,
      seed: 3,
      optimizer: { type: 'adam' as const },
      warmup: 1,
      steps: 2,
    };
    const gpu = await selectBackend('webgpu');
    const before = gpu.tf.memory().numTensors;
    const gpuMs = await timeTrainingSteps(gpu.tf, options);
    expect(gpu.tf.getBackend()).toBe('webgpu');
    expect(gpu.tf.memory().numTensors).toBe(before);
    const cpu = await selectBackend('wasm');
    const cpuMs = await timeTrainingSteps(cpu.tf, options);
    for (const ms of [gpuMs, cpuMs]) {
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeGreaterThan(0);
    }
  });
});

describe('no adapter', () => {
  it('netwright train --backend webgpu without a Vulkan driver exits 1 with one sentence saying what to install', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'nw-novulkan-'));
    // No driver manifest anywhere the Vulkan loader looks (the system folders here have none).
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_DATA_DIRS: empty,
      XDG_CONFIG_DIRS: empty,
      XDG_DATA_HOME: empty,
    };
    delete env.VK_ICD_FILENAMES;
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [
          'bin/netwright.mjs',
          'train',
          'resources/examples/iris-mlp.netwright.json',
          '--backend',
          'webgpu',
          '--out',
          empty,
        ],
        { cwd: ROOT, env, timeout: 60_000 },
        (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
      ),
    ).finally(() => rm(empty, { recursive: true, force: true }));
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "netwright: WebGPU backend unavailable: no Vulkan driver is installed (install your GPU vendor's Vulkan driver and the Vulkan loader, libvulkan1 on Debian/Ubuntu).",
    );
  });
});

describe('adapters', () => {
  const cases: [string, AdapterFacts, string | null, string][] = [
    ['SwiftShader', SWIFTSHADER, 'SwiftShader', 'Software (WebGPU · Google SwiftShader · Vulkan)'],
    [
      'lavapipe',
      facts({
        vendor: 'mesa',
        architecture: '',
        device: 'llvmpipe-llvm-15-0-6-256-bits',
        description: 'Mesa 22.3.6',
      }),
      'llvmpipe',
      'Software (WebGPU · Mesa llvmpipe · Vulkan)',
    ],
    [
      'WARP',
      facts({ vendor: 'microsoft', device: 'microsoft-basic-render-driver', description: 'D3D12 driver' }),
      'Microsoft Basic Render Driver',
      'Software (WebGPU · Microsoft Basic Render Driver · Vulkan)',
    ],
    [
      'an unknown fallback adapter',
      facts({ vendor: 'acme', device: 'cpu-raster', isFallbackAdapter: true }),
      'a fallback (software) adapter',
      'Software (WebGPU · Acme CPU Raster · Vulkan)',
    ],
    [
      'NVIDIA',
      facts({
        vendor: 'nvidia',
        architecture: 'hopper',
        device: 'nvidia-h200',
        description: 'NVIDIA 550.54.15',
      }),
      null,
      'GPU (WebGPU · NVIDIA H200 · Vulkan)',
    ],
    [
      'AMD with a bare PCI id',
      facts({
        vendor: 'amd',
        architecture: 'rdna-3',
        device: '0x744c',
        description: 'AMD Radeon RX 7900 XTX',
      }),
      null,
      'GPU (WebGPU · AMD Radeon RX 7900 XTX · Vulkan)',
    ],
  ];
  it.each(cases)('%s', (_name, f, software, label) => {
    expect(softwareRenderer(f)).toBe(software);
    expect(webgpuLabel(f, 'linux')).toBe(label);
  });

  it('names the native API Dawn uses on each OS', () => {
    const nv = facts({ vendor: 'apple', architecture: 'metal-3', device: 'apple-m2' });
    expect(adapterName(nv)).toBe('Apple M2');
    expect(webgpuLabel(nv, 'darwin')).toBe('GPU (WebGPU · Apple M2 · Metal)');
    expect(webgpuLabel(nv, 'win32')).toBe('GPU (WebGPU · Apple M2 · D3D12)');
  });
});

describe('auto between a GPU and a CPU backend, by measurement', () => {
  it('keeps the GPU for a model that steps faster there, and says both timings', () => {
    const pick = chooseFastest([
      { value: 'webgpu', name: 'WebGPU on NVIDIA H200', msPerStep: 9.12 },
      { value: 'wasm', name: 'WebAssembly', msPerStep: 41.3 },
    ]);
    expect(pick).toEqual({
      value: 'webgpu',
      reason: 'WebGPU on NVIDIA H200: 9.1 ms/step vs WebAssembly 41 ms/step',
    });
  });

  it('keeps the CPU for a small model whose GPU steps are slower', () => {
    const pick = chooseFastest([
      { value: 'webgpu', name: 'WebGPU on NVIDIA H200', msPerStep: 3.4 },
      { value: 'wasm', name: 'WebAssembly', msPerStep: 0.42 },
    ]);
    expect(pick).toEqual({
      value: 'wasm',
      reason: 'WebAssembly: 0.42 ms/step vs WebGPU on NVIDIA H200 3.4 ms/step',
    });
  });

  it('a candidate whose timing failed loses, and the failure is named', () => {
    const pick = chooseFastest([
      { value: 'webgpu', name: 'WebGPU on AMD Radeon', msPerStep: null, failure: 'device lost' },
      { value: 'wasm', name: 'WebAssembly', msPerStep: 12 },
    ]);
    expect(pick).toEqual({
      value: 'wasm',
      reason: 'WebAssembly: 12 ms/step vs WebGPU on AMD Radeon failed (device lost)',
    });
  });

  it('when nothing could be timed, the CPU rung (last) is kept', () => {
    const pick = chooseFastest([
      { value: 'webgpu', name: 'WebGPU on Intel Arc', msPerStep: null, failure: 'x' },
      { value: 'wasm', name: 'WebAssembly', msPerStep: Number.NaN, failure: 'y' },
    ]);
    expect(pick.value).toBe('wasm');
    expect(pick.reason).toBe(
      'WebAssembly: no candidate could be timed (WebGPU on Intel Arc: x, WebAssembly: y)',
    );
  });
});

describe('GPU errors during training (an out-of-memory GPU cannot be produced here: its message is given)', () => {
  it('out of memory names half the batch size', () => {
    expect(describeDeviceError('Out of memory while allocating a buffer of 2147483648 bytes', 512)).toBe(
      'the GPU ran out of memory at batch size 512. Try batch size 256 or a smaller model.',
    );
  });
  it('a batch of one that does not fit asks for a smaller model', () => {
    expect(
      describeDeviceError('Buffer size (3000000000) exceeds the max buffer size limit (1073741824).', 1),
    ).toBe(
      'the GPU cannot hold batch size 1: one tensor needs 3.0 GB and this GPU allows 1.1 GB per buffer. Make the model smaller.',
    );
  });
});

describe('the CUDA rung (tfjs-node-gpu cannot be installed here: its verdict on the backend flags)', () => {
  it('is GPU only when libtensorflow found a CUDA device', () => {
    expect(cudaVerdict({ isGPUPackage: true, isUsingGpuDevice: true })).toEqual({
      onGpu: true,
      reason: 'CUDA GPU through @tensorflow/tfjs-node-gpu',
    });
  });
  it('says CPU, and why, when tfjs-node-gpu loads without a usable CUDA device', () => {
    const v = cudaVerdict({ isGPUPackage: true, isUsingGpuDevice: false });
    expect(v.onGpu).toBe(false);
    expect(v.reason).toBe(
      '@tensorflow/tfjs-node-gpu loaded but libtensorflow found no usable CUDA device (it needs CUDA 11.2 and cuDNN 8.1), so it runs on the CPU',
    );
  });
  it('says CPU when the package that loaded is the CPU build', () => {
    expect(cudaVerdict({ isGPUPackage: false, isUsingGpuDevice: false }).onGpu).toBe(false);
  });
});
