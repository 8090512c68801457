// `npm start` where no Electron binary is installed: one line saying so, then web mode on the
// example project, with a URL that works.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from './helpers.ts';

it('falls back to web mode in one line and serves the example', async () => {
  const cwd = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-start-'));
  const child = spawn(process.execPath, [path.join(REPO, 'scripts/start.mjs'), '--skip-build'], {
    cwd,
    env: { ...process.env, PORT: '0', ELECTRON_OVERRIDE_DIST_PATH: path.join(cwd, 'no-electron-here') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    const start = Date.now();
    while (!/Netwright is running at/.test(out)) {
      if (Date.now() - start > 40_000 || child.exitCode !== null) throw new Error(`no URL printed: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe(
      'The Electron binary is not installed (it downloads outside the npm registry), so Netwright opens in web mode instead.',
    );
    const url = new URL(/Netwright is running at (\S+)/.exec(out)![1]);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('open')).toBe('iris-mlp.netwright.json');
    const res = await fetch(`${url.origin}/api/call/openProject`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${url.searchParams.get('token')}` },
      body: JSON.stringify({ args: [url.searchParams.get('open')] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { name: string } }).result.name).toBe('Iris MLP');
  } finally {
    child.kill('SIGTERM');
    await fs.rm(cwd, { recursive: true, force: true });
  }
});
