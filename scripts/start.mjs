#!/usr/bin/env node
// `npm start`: build the renderer and the desktop app's main process, then open the desktop app on
// the built-in example project. Where the Electron binary is not installed (an offline install: its
// download comes from outside the package registry), say so in one line and open web mode instead.
//   --skip-build   reuse renderer/dist and electron/dist as they are
//   --web          web mode even when Electron is installed
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE = path.join(ROOT, 'resources/examples/iris-mlp.netwright.json');
const args = new Set(process.argv.slice(2));

/** The Electron executable, found without running electron's installer (which would download it). */
export function electronBinary(env = process.env, root = ROOT) {
  const exe =
    { win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' }[process.platform] ?? 'electron';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, exe);
    return existsSync(p) ? p : null;
  }
  const pkg = path.join(root, 'node_modules/electron');
  try {
    const rel = readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim();
    const p = path.join(pkg, 'dist', rel);
    return existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** A working copy of the example beside the user (the shipped one stays pristine). */
async function exampleCopy() {
  const copy = path.join(process.cwd(), path.basename(EXAMPLE));
  if (!existsSync(copy)) await fs.copyFile(EXAMPLE, copy);
  return copy;
}

async function main() {
  if (!args.has('--skip-build')) {
    console.log('Building the interface (npm run build)…');
    const built = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    if (built.status !== 0)
      console.error('The interface did not build; the app will show how to build it. See the errors above.');
  }
  const binary = args.has('--web') ? null : electronBinary();
  const project = await exampleCopy();
  if (binary) {
    if (!args.has('--skip-build')) {
      const { buildElectron } = await import('../electron/build.mjs');
      await buildElectron({ quiet: true });
    }
    const child = spawn(binary, [ROOT, project], { cwd: process.cwd(), stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  if (!args.has('--web')) {
    console.log(
      'The Electron binary is not installed (it downloads outside the npm registry), so Netwright opens in web mode instead.',
    );
  }
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bin/netwright.mjs'),
      'serve',
      '--port',
      process.env.PORT ?? '7860',
      '--root',
      process.cwd(),
      '--open',
      path.relative(process.cwd(), project).split(path.sep).join('/'),
    ],
    { stdio: 'inherit' },
  );
  const forward = (sig) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`netwright: cannot start: ${err.message}`);
    process.exit(1);
  });
}
