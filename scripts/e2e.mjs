#!/usr/bin/env node
// `npm test` second half: build the renderer when its sources are newer than renderer/dist, then run
// the Playwright end-to-end tests (Debian's Chromium, see playwright.config.ts). Exits non-zero when
// the build or any test fails; Playwright prints its own summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'renderer/dist/index.html');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') t = Math.max(t, newest(p));
    } else t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.error) {
    console.error(`e2e: cannot run ${cmd}: ${r.error.message}`);
    return 1;
  }
  return r.status ?? 1;
}

const sources = Math.max(newest(path.join(root, 'renderer')), newest(path.join(root, 'engine')));
if (!existsSync(dist) || statSync(dist).mtimeMs < sources) {
  console.log('e2e: building the renderer…');
  const code = run(process.execPath, [
    path.join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
  if (code !== 0) process.exit(code);
}
if (!existsSync('/usr/bin/chromium')) {
  console.error(
    'e2e: /usr/bin/chromium is missing (Debian package "chromium"); the end-to-end tests need it.',
  );
  process.exit(1);
}
process.exit(
  run(process.execPath, [
    path.join(root, 'node_modules/@playwright/test/cli.js'),
    'test',
    ...process.argv.slice(2),
  ]),
);
