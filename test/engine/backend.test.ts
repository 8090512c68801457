// Backend selection (docs/ARCHITECTURE.md, "Compute backends") with what this machine really has: a software WebGPU adapter
// (SwiftShader) that `auto` must refuse, and @tensorflow/tfjs-node(-gpu), optional dependencies
// that are not installed here (no libtensorflow offline), so `auto` must pass over all three, say
// why, and land on WebAssembly. The load-failure wording is checked on the messages
// Node gives for each way a native package fails to load (those failures can't be produced here).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLoadError, selectBackend } from '../../engine/backend.ts';
import { netwright, ROOT } from '../cli/run-cli.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

useSwiftShader();

const GPU = '@tensorflow/tfjs-node-gpu';
const NATIVE = '@tensorflow/tfjs-node';

describe('backend selection', () => {
  it('auto tries WebGPU, GPU, then native CPU, then WebAssembly, and says why each faster one was passed over', async () => {
    const b = await selectBackend('auto');
    expect(b.id).toBe('wasm');
    expect(b.label).toBe('CPU (WebAssembly)');
    expect(b.tf.getBackend()).toBe('wasm');
    const parts = b.reason.split('; ');
    expect(parts).toEqual([
      'no hardware GPU for WebGPU: the only adapter is SwiftShader, a software renderer slower than the CPU backends (--backend webgpu uses it anyway)',
      `no GPU: ${GPU} is not installed`,
      `no native libtensorflow: ${NATIVE} is not installed`,
      'using WebAssembly (XNNPACK)',
    ]);
  });

  it('an explicit gpu or cpu choice fails with one sentence instead of falling back', async () => {
    await expect(selectBackend('gpu')).rejects.toThrow(
      new Error(`GPU backend unavailable: ${GPU} is not installed.`),
    );
    await expect(selectBackend('cpu')).rejects.toThrow(
      new Error(`libtensorflow CPU backend unavailable: ${NATIVE} is not installed.`),
    );
  });

  it('js selects the pure-JavaScript backend', async () => {
    const b = await selectBackend('js');
    expect(b.id).toBe('cpu');
    expect(b.tf.getBackend()).toBe('cpu');
    // Back to wasm for whatever runs next in this worker.
    expect((await selectBackend('wasm')).tf.getBackend()).toBe('wasm');
  });

  it('netwright train --backend gpu exits 1 with one sentence and no stack trace', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-backend-'));
    const r = await netwright(
      'train',
      `${ROOT}/resources/examples/iris-mlp.netwright.json`,
      '--backend',
      'gpu',
      '--epochs',
      '1',
      '--out',
      dir,
    ).finally(() => rm(dir, { recursive: true, force: true }));
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`netwright: GPU backend unavailable: ${GPU} is not installed.`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('describeLoadError', () => {
  const cases: [string, string, string][] = [
    [GPU, `Cannot find package '${GPU}' imported from /app/engine/backend.ts`, `${GPU} is not installed`],
    [NATIVE, `Cannot find module '${NATIVE}'\nRequire stack:\n- /app/x.js`, `${NATIVE} is not installed`],
    [
      // Installed, but one of its own dependencies is missing: not "not installed".
      NATIVE,
      "Cannot find module '@tensorflow/tfjs-core'\nRequire stack:\n- /app/node_modules/@tensorflow/tfjs-node/dist/index.js",
      `${NATIVE} failed to load (Cannot find module '@tensorflow/tfjs-core')`,
    ],
    [
      NATIVE,
      "Cannot find module '/app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'",
      `${NATIVE} is installed but libtensorflow is missing`,
    ],
    [
      NATIVE,
      'libtensorflow.so.2: cannot open shared object file: No such file or directory',
      `${NATIVE} is installed but libtensorflow is missing`,
    ],
    [
      GPU,
      'libcudart.so.11.0: cannot open shared object file: No such file or directory',
      `${GPU} found no usable CUDA/cuDNN`,
    ],
    [
      GPU,
      '/app/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node: libcudnn.so.8: cannot open shared object file',
      `${GPU} found no usable CUDA/cuDNN`,
    ],
    [
      GPU,
      'Illegal instruction (AVX not supported)\nmore detail',
      `${GPU} failed to load (Illegal instruction (AVX not supported))`,
    ],
  ];
  it.each(cases)('%s: %s', (pkg, message, reason) => {
    expect(describeLoadError(pkg, new Error(message))).toBe(reason);
  });

  it('takes a thrown non-Error and cuts a long message to one short line', () => {
    expect(describeLoadError(GPU, 'boom')).toBe(`${GPU} failed to load (boom)`);
    const long = describeLoadError(GPU, new Error('x'.repeat(500)));
    expect(long).toBe(`${GPU} failed to load (${'x'.repeat(160)})`);
  });
});
