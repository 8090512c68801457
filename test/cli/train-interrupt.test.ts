// Ctrl-C during `netwright train` (SIGINT to the real CLI process): the run stops after its batch,
// keeps what it learned, and the command exits 130 — not 1, which README reserves for invalid input.
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../reliability/helpers/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nw-cli-sigint-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Start `netwright train … args`, send SIGINT once `ready` matches stdout, and report how it ended. */
function interruptAfter(
  args: string[],
  ready: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'netwright.mjs'), 'train', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (!sent && ready.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('netwright train, interrupted', () => {
  it('one Ctrl-C stops after the batch, keeps the run as "cancelled" and exits 130', async () => {
    const project = path.join(dir, 'iris.netwright.json');
    await copyFile(path.join(REPO, 'resources', 'examples', 'iris-mlp.netwright.json'), project);
    const out = path.join(dir, 'run');
    const r = await interruptAfter(
      [project, '--out', out, '--epochs', '100000', '--backend', 'js'],
      /^epoch 2\/100000/m,
    );
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(130);
    expect(r.stderr).toMatch(/Stopping after this batch/);
    expect(r.stdout).toMatch(/^Cancelled after \d+ epochs; kept the best weights/m);
    const info = JSON.parse(await readFile(path.join(out, 'run.json'), 'utf8'));
    expect(info.status).toBe('cancelled');
  }, 150_000);

  it('with --json too: the outcome is printed and the exit code is 130', async () => {
    const project = path.join(dir, 'iris.netwright.json');
    const out = path.join(dir, 'run-json');
    // --json prints no progress: interrupt once the run folder says training started.
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          path.join(REPO, 'bin', 'netwright.mjs'),
          'train',
          project,
          '--out',
          out,
          '--epochs',
          '100000',
          '--backend',
          'js',
          '--json',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const poll = setInterval(async () => {
        const info = await readFile(path.join(out, 'run.json'), 'utf8').catch(() => '');
        if (/"samples"/.test(info)) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 100);
      child.on('exit', (code) => {
        clearInterval(poll);
        resolve({ code, stdout });
      });
    });
    expect(r.code, r.stdout).toBe(130);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'cancelled' });
  }, 150_000);
});
