// Option values every command shares (--backend, whole numbers) are refused in one sentence, exit 2,
// before the command reads any file: through the real CLI entry point, in process.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';

async function netwright(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(args);
  return { code, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('shared CLI options', () => {
  it.each([
    ['train', 'missing.netwright.json'],
    ['evaluate', 'missing-run'],
    ['predict', 'missing-run', 'rows.csv'],
  ])('%s refuses an unknown --backend', async (...args) => {
    const r = await netwright(...args, '--backend', 'tpu');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'netwright: --backend must be one of auto, webgpu, gpu, cpu, wasm, js; it is "tpu".\n',
    );
  });

  it.each([['export'], ['explain']])('%s runs on a CPU backend and says so for webgpu', async (command) => {
    const unknown = await netwright(command, 'missing-run', '--backend', 'tpu');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'netwright: --backend must be one of auto, gpu, cpu, wasm, js; it is "tpu".\n',
    );
    const gpu = await netwright(command, 'missing-run', '--backend', 'webgpu');
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toBe(
      `netwright: ${command} runs on a CPU backend; --backend webgpu is for train, evaluate and predict.\n`,
    );
  });

  it('whole-number options name the flag and the value', async () => {
    const epochs = await netwright('train', 'missing.netwright.json', '--epochs', '2.5');
    expect(epochs.code).toBe(2);
    expect(epochs.stderr).toBe('netwright: --epochs must be a whole number of at least 1; it is "2.5".\n');
    const opset = await netwright('export', 'missing-run', '--opset', 'x');
    expect(opset.code).toBe(2);
    expect(opset.stderr).toBe('netwright: --opset must be a whole number; it is "x".\n');
  });
});
