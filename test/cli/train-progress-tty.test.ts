// `netwright train` on a terminal draws a progress bar (cli-progress) instead of one line per epoch.
// The CLI runs under a real pseudo-terminal: util-linux `script` (Debian's essential bsdutils).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.ts';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function underTerminal(args: string[]): Promise<{ code: number; output: string }> {
  const command = [process.execPath, path.join(ROOT, 'bin/netwright.mjs'), ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    // -e: script exits with the command's code; -f: flush as it goes; output file /dev/null (the
    // session is read from script's own stdout).
    execFile('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, timeout: 90_000 }, (err, stdout) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, output: stdout });
    });
  });
}

describe('netwright train on a terminal', () => {
  it('draws a progress bar with loss, samples/s and ETA, then the test metrics', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nw-tty-'));
    try {
      const r = await underTerminal([
        'train',
        path.join(ROOT, 'resources/examples/iris-mlp.netwright.json'),
        '--epochs',
        '2',
        '--out',
        path.join(dir, 'run'),
      ]);
      expect(r.code, r.output).toBe(0);
      const text = r.output;
      // Redrawn in place (cursor to column 1, clear to end of line), not printed line by line.
      expect(text).toContain('\x1b[1G');
      expect(text).toContain('\x1b[0K');
      const frames = text
        .split('\x1b[1G')
        .slice(1)
        .map((f) => stripVTControlCharacters(f));
      const last = frames.at(-1)!;
      expect(last).toMatch(
        /^epoch 2\/2 \[█+\] 100% \| loss \d+\.\d{4} accuracy \d\.\d{4} {2}val_loss \d+\.\d{4} \| \d+ samples\/s \| ETA \d+s/,
      );
      // The plain per-epoch lines are for pipes only.
      expect(text).not.toMatch(/^epoch 1\/2 {2}loss/m);
      expect(text).toMatch(/Test accuracy \d\.\d{3} on 30 samples/);
      expect(text).toMatch(/Run saved in .* on CPU \(WebAssembly\)\)\./);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
