// `--tfjs <dir>` (and every run's model/ folder) is written as a pair, model.json + weights.bin, into a
// staging folder that is then swapped in, keeping the previous export as <dir>.bak: a save that fails
// or is killed half-way leaves a loadable export (the previous one), never a mismatched pair.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tf } from './harness.ts';
import { constantModel } from './fixtures/constant-model.ts';
import { ROOT } from '../cli/run-cli.ts';
import { EngineError } from '../../engine/api.ts';
import { loadLayersModel, saveLayersModel, tfjsSaveTestSeam } from '../../engine/io/tfjs-files.ts';

afterEach(() => {
  delete tfjsSaveTestSeam.at;
});

/** Which constant model the folder holds: its output on a fixed input (distinct for each value). */
async function outputOf(dir: string): Promise<number[]> {
  const model = await loadLayersModel(tf, dir);
  const y = model.predict(tf.tensor([[1, 2, 3]])) as tf.Tensor;
  const out = Array.from(y.dataSync());
  model.dispose();
  return out;
}
const expectedOf = (value: number) => {
  const model = constantModel(tf, value);
  const out = Array.from((model.predict(tf.tensor([[1, 2, 3]])) as tf.Tensor).dataSync());
  model.dispose();
  return out;
};

/** A parent folder holding an export of the model with weights 0.1 in `export/`. */
async function withExport(): Promise<{ parent: string; dir: string }> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'nw-tfjs-folder-'));
  const dir = path.join(parent, 'export');
  await saveLayersModel(tf, constantModel(tf, 0.1), dir);
  return { parent, dir };
}

describe('saving the tfjs layers format', () => {
  it('replaces an existing export and keeps the previous one as <dir>.bak, leaving no temp folder', async () => {
    const { parent, dir } = await withExport();
    await saveLayersModel(tf, constantModel(tf, 0.2), dir);
    expect(await outputOf(dir)).toEqual(expectedOf(0.2));
    expect(await outputOf(`${dir}.bak`)).toEqual(expectedOf(0.1));
    expect(readdirSync(parent).sort()).toEqual(['export', 'export.bak']);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it.each([['weights-written'], ['previous-moved-aside']] as const)(
    'a save that fails at %s leaves the previous export in place and loadable',
    async (step) => {
      const { parent, dir } = await withExport();
      tfjsSaveTestSeam.at = (at) => {
        if (at === step) throw new Error('disk full (simulated)');
      };
      await expect(saveLayersModel(tf, constantModel(tf, 0.3), dir)).rejects.toThrow(/disk full/);
      expect(await outputOf(dir)).toEqual(expectedOf(0.1));
      expect(readdirSync(parent)).toEqual(['export']);
    },
  );

  it.each([['weights-written'], ['previous-moved-aside']] as const)(
    'a process killed at %s leaves the previous export loadable, and the next save works',
    async (step) => {
      const { parent, dir } = await withExport();
      const killed = await new Promise<NodeJS.Signals | null>((resolve) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', path.join(ROOT, 'test/onnx/fixtures/save-killed.ts'), dir, '0.4', step],
          { cwd: ROOT, timeout: 60_000 },
          (err) => resolve(err?.signal ?? null),
        ),
      );
      expect(killed).toBe('SIGKILL');
      // Killed between the renames, export/ is gone and export.bak/ holds the previous export whole:
      // the loader falls back to it.
      expect(existsSync(dir)).toBe(step === 'weights-written');
      expect(await outputOf(dir)).toEqual(expectedOf(0.1));
      expect(readdirSync(parent).some((n) => n.endsWith('.tmp'))).toBe(true); // the killed save's staging
      await saveLayersModel(tf, constantModel(tf, 0.5), dir);
      expect(await outputOf(dir)).toEqual(expectedOf(0.5));
    },
  );

  it('refuses to replace a folder that holds other files, and leaves them alone', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'nw-tfjs-folder-'));
    const dir = path.join(parent, 'site');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'index.html'), '<p>mine</p>');
    const attempt = saveLayersModel(tf, constantModel(tf, 0.1), dir);
    await expect(attempt).rejects.toBeInstanceOf(EngineError);
    await expect(attempt).rejects.toThrow(/holds other files than a tfjs export \(index\.html\)/);
    expect(readdirSync(parent)).toEqual(['site']);
    expect(readdirSync(dir)).toEqual(['index.html']);
  });
});
