// `npm run gpu:bundle` builds a folder that runs the GPU check on a machine with no Node and no
// registry. Here the fast variant of the build (less compression, same files) is run the way a GPU
// machine runs it: run.sh unpacks its own Node and Dawn into a fresh folder outside the repository
// (no node_modules within reach) and uses the bundled Vulkan loader from the .deb, on SwiftShader.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainableTypes } from '../../bench/gpu-check/layer-parity.ts';
import { ROOT } from '../cli/run-cli.ts';
import { useSwiftShader } from '../support/swiftshader.ts';

const BUNDLE = path.join(ROOT, '.tmp/gpu-bundle-test');
const LIMIT = 60 * 1024 * 1024;

function exec(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(file, args, { cwd, env, timeout: 900_000, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let work = '';
let build: Awaited<ReturnType<typeof exec>>;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nw-gpu-check-'));
  build = await exec(
    process.execPath,
    ['--import', 'tsx', 'scripts/gpu-bundle.mts', '--out', BUNDLE, '--fast'],
    process.env,
    ROOT,
  );
}, 900_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('npm run gpu:bundle', () => {
  it('builds one folder under 60 MiB with Node, Dawn, the check, the wasm files, the loader and run.sh', async () => {
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const files = await readdir(BUNDLE);
    for (const f of [
      'node.xz',
      'dawn.node.xz',
      'check.mjs',
      'run.sh',
      'torch_bench.py',
      'tfjs-backend-wasm.wasm',
    ])
      expect(files).toContain(f);
    expect(files.some((f) => /^libvulkan1_.*_amd64\.deb$/.test(f))).toBe(true);
    let total = 0;
    for (const f of files) total += (await stat(path.join(BUNDLE, f))).size;
    expect(total).toBeLessThan(LIMIT);
    expect(build.stdout).toMatch(/of 60 MiB/);
  });

  it('run.sh --quick prints the SwiftShader adapter, passes the layer check and times training', async () => {
    const out = path.join(work, 'out');
    const env = {
      ...useSwiftShader(),
      OUT: out,
      NETWRIGHT_GPU_WORK: path.join(work, 'unpacked'),
      NETWRIGHT_OWN_VULKAN_LOADER: '1',
      // Debian's python3 has torch (python3-torch); a pyenv shim earlier on PATH may not.
      PYTHON: '/usr/bin/python3',
    };
    const run = await exec(path.join(BUNDLE, 'run.sh'), ['--quick'], env, work);
    expect(run.code, run.stdout.slice(-2000)).toBe(0);
    expect(run.stdout).toMatch(/^Vulkan loader: bundled libvulkan1_/m);
    expect(run.stdout).toMatch(/^adapter: Software \(WebGPU · Google SwiftShader · Vulkan\)/m);

    const results = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8'));
    expect(results.adapter).toMatchObject({ software: true, architecture: 'swiftshader' });
    const checked = new Set(results.layers.results.map((r: { type: string }) => r.type));
    expect([...checked].sort()).toEqual(trainableTypes().sort());
    expect(results.layers.passed).toBe(results.layers.cases);
    expect(run.stdout).toMatch(
      new RegExp(`^layers: ${results.layers.cases} of ${results.layers.cases} cases`, 'm'),
    );

    expect(results.torch).toMatchObject({ device: 'cpu' });
    expect(results.bench).toHaveLength(1);
    const [row] = results.bench;
    expect(row).toMatchObject({ workload: 'mlp', batch: 64, errors: {} });
    for (const side of ['webgpu', 'wasm', 'torch']) expect(row[side].median).toBeGreaterThan(0);
    expect(await readFile(path.join(out, 'results.txt'), 'utf8')).toMatch(
      /PyTorch: PyTorch [\d.a-z]+ on the CPU \(no CUDA here\)/,
    );
  }, 900_000);
});
