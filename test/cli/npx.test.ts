// `npx netwright` as a user types it, through the real npm: no warnings about the project's own npm
// configuration on stderr (an .npmrc key npm does not know made every call print one).
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './run-cli.ts';

describe('npx netwright', () => {
  it('prints its help and nothing on stderr', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) =>
        execFile(
          'npx',
          ['--offline', 'netwright', '--help'],
          { cwd: ROOT, timeout: 60_000 },
          (err, out, errOut) =>
            resolve({ code: err ? Number(err.code ?? -1) : 0, stdout: out, stderr: errOut }),
        ),
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Usage: netwright /);
    expect(stderr).toBe('');
  }, 60_000);
});
