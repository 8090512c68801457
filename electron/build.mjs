#!/usr/bin/env node
// Builds the desktop app's main process, preload and engine worker into electron/dist (CommonJS,
// what Electron's main and a sandboxed preload need). npm packages stay external (shipped in
// node_modules by electron-builder). Engine modules find their files with import.meta.url; in one
// bundle every module would share the bundle's URL, so each use is rewritten to the module's own
// path relative to the app root (electron/dist/../..), which the packaged app keeps.
import { build } from 'esbuild';
import process from 'node:process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'electron/dist');

const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      let contents = await fs.readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const rel = path.relative(ROOT, args.path).split(path.sep).join('/');
        contents = contents.replaceAll('import.meta.url', `__nwFileUrl(${JSON.stringify(rel)})`);
      }
      return { contents, loader: 'ts' };
    });
  },
};

export async function buildElectron({ quiet = false } = {}) {
  await fs.mkdir(OUT, { recursive: true });
  // Inside a packaged app the root is resources/app.asar; files listed in asarUnpack (the engine's
  // sources, which the training worker runs through tsx) live in app.asar.unpacked.
  const banner = {
    js: [
      'const __nwFileUrl = (rel) => {',
      '  const p = require("node:path"), fs = require("node:fs");',
      '  const file = p.join(__dirname, "../..", rel);',
      '  const unpacked = file.replace(/app\\.asar(?=[\\\\/])/, "app.asar.unpacked");',
      '  return require("node:url").pathToFileURL(unpacked !== file && fs.existsSync(unpacked) ? unpacked : file).href;',
      '};',
    ].join('\n'),
  };
  const common = {
    banner,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: quiet ? 'error' : 'warning',
    plugins: [importMetaUrl],
  };
  await build({
    ...common,
    entryPoints: { main: 'electron/main.ts', 'engine-worker': 'electron/engine-worker.ts' },
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    packages: 'external',
    absWorkingDir: ROOT,
  });
  // A sandboxed preload may only require('electron'): bundle everything else into it.
  await build({
    ...common,
    banner: undefined,
    plugins: [],
    entryPoints: { preload: 'electron/preload.ts' },
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
    absWorkingDir: ROOT,
  });
  if (!quiet)
    console.log(`Built the desktop app's main process into ${path.relative(process.cwd(), OUT) || OUT}.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildElectron().catch((err) => {
    console.error(`Cannot build the desktop app: ${err.message}`);
    process.exit(1);
  });
}
