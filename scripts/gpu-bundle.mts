// `npm run gpu:bundle [-- --out DIR] [--fast]`: one folder (gpu-bundle/, git-ignored) that runs the GPU check
// (bench/gpu-check/) on a Linux x86-64 machine with no Node and no package registry: this machine's
// node binary and Dawn's dawn.node, xz-compressed; the check as one esbuild bundle; the tfjs wasm
// files; the Debian libvulkan1 .deb (the Vulkan loader); bench/torch_bench.py; and run.sh.
// README, "Measuring a GPU", says how to run it. The two large files are compressed again only when
// their source changed (manifest.json records what each came from); --fast compresses less and sooner
// (the test's build).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The folder must fit the GPU machine's 64 MiB transfer with the repository beside it. */
export const BUNDLE_LIMIT_BYTES = 60 * 1024 * 1024;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = path.resolve(outArg >= 0 ? process.argv[outArg + 1] : path.join(root, 'gpu-bundle'));
mkdirSync(out, { recursive: true });
const level = process.argv.includes('--fast') ? '-0' : '-6';

interface Manifest {
  /** What each compressed file was made from: its source path, size and modification time. */
  sources: Record<string, string>;
  files: Record<string, number>;
  totalBytes: number;
}
const manifestPath = path.join(out, 'manifest.json');
const previous: Manifest | null = existsSync(manifestPath)
  ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest)
  : null;
const sources: Record<string, string> = {};

/** xz -T0 of `source` into `name`, unless the bundle already holds it compressed from that source. */
function compressed(source: string, name: string): void {
  const st = statSync(source);
  const key = `${source} ${st.size} ${st.mtimeMs} xz ${level}`;
  sources[name] = key;
  if (previous?.sources[name] === key && existsSync(path.join(out, name))) return;
  console.log(`compressing ${path.basename(source)} (${(st.size / 2 ** 20).toFixed(1)} MiB)…`);
  execFileSync('sh', ['-c', 'xz "$1" -T0 -c "$2" > "$3"', 'xz', level, source, path.join(out, name)]);
}

// 1. Node and Dawn.
if (process.platform !== 'linux' || process.arch !== 'x64')
  throw new Error('gpu:bundle packs a Linux x86-64 Node and Dawn: run it on Linux x86-64.');
compressed(process.execPath, 'node.xz');
const webgpuDir = path.join(root, 'node_modules/webgpu');
compressed(path.join(webgpuDir, 'dist/linux-x64/dawn.node'), 'dawn.node.xz');

// 2. The check, bundled. tfjs-node(-gpu) stay out: the check uses webgpu, wasm and cpu only.
await build({
  entryPoints: [path.join(root, 'bench/gpu-check/check.ts')],
  outfile: path.join(out, 'check.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  // CommonJS parts of tfjs (the wasm backend finds its .wasm through __dirname) inside an ES module.
  banner: {
    js: [
      "import { createRequire as __nwRequire } from 'node:module';",
      "import { fileURLToPath as __nwPath } from 'node:url';",
      "import { dirname as __nwDir } from 'node:path';",
      'const require = __nwRequire(import.meta.url);',
      'const __filename = __nwPath(import.meta.url);',
      'const __dirname = __nwDir(__filename);',
    ].join(' '),
  },
});

// 3. The tfjs wasm files, the PyTorch side, and run.sh.
const wasmDir = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')))
  copyFileSync(path.join(wasmDir, f), path.join(out, f));
copyFileSync(path.join(root, 'bench/torch_bench.py'), path.join(out, 'torch_bench.py'));
copyFileSync(path.join(root, 'bench/gpu-check/run.sh'), path.join(out, 'run.sh'));
chmodSync(path.join(out, 'run.sh'), 0o755);

// 4. The Vulkan loader as Debian ships it: from apt's cache, else downloaded by apt-get.
if (!readdirSync(out).some((f) => /^libvulkan1_.*_amd64\.deb$/.test(f))) {
  const cache = '/var/cache/apt/archives';
  const cached = existsSync(cache)
    ? readdirSync(cache).find((f) => /^libvulkan1_.*_amd64\.deb$/.test(f))
    : null;
  if (cached) copyFileSync(path.join(cache, cached), path.join(out, cached));
  else {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'nw-deb-'));
    try {
      execFileSync('apt-get', ['download', 'libvulkan1:amd64'], { cwd: tmp, stdio: 'inherit' });
      const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
      if (!deb) throw new Error('apt-get download libvulkan1 gave no .deb');
      copyFileSync(path.join(tmp, deb), path.join(out, deb));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

// 5. Sizes, checked against the limit.
const files: Record<string, number> = {};
for (const f of readdirSync(out).filter((f) => f !== 'manifest.json'))
  files[f] = statSync(path.join(out, f)).size;
const totalBytes = Object.values(files).reduce((a, b) => a + b, 0);
const manifest: Manifest = { sources, files, totalBytes };
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
for (const [f, size] of Object.entries(files))
  console.log(`  ${f.padEnd(40)} ${(size / 2 ** 20).toFixed(2)} MiB`);
const mib = (totalBytes / 2 ** 20).toFixed(1);
if (totalBytes > BUNDLE_LIMIT_BYTES) {
  console.error(`${path.relative(process.cwd(), out) || '.'} holds ${mib} MiB, over the 60 MiB limit.`);
  process.exit(1);
}
console.log(
  `${path.relative(process.cwd(), out) || '.'}: ${mib} MiB of 60 MiB. Run it with ./run.sh [--quick].`,
);
