// Save As into another folder carries the project's weights file, so the copy opens and trains with
// the same weights; a different file of that name already there is never overwritten. Real files.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { EngineError } from '../../engine/api.ts';
import { loadExample } from '../../engine/examples.ts';
import { createEngine } from '../../engine/service.ts';
import { encodeWeights, readProjectWeights } from '../../engine/weights/weights-file.ts';

it('Save As to another folder brings the weights file along, and refuses to overwrite a different one', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-save-as-weights-'));
  const engine = createEngine({ root });
  const kernel = { shape: [4, 16], data: Float32Array.from({ length: 64 }, (_, i) => i / 64) };
  const { ref, bytes } = encodeWeights(new Map([['d1/kernel', kernel]]), 'model.weights.bin');
  const project = { ...(await loadExample('iris-mlp')), weights: ref };
  await fs.mkdir(path.join(root, 'a'));
  await fs.mkdir(path.join(root, 'b'));
  await fs.mkdir(path.join(root, 'c'));
  const original = path.join(root, 'a', 'model.netwright.json');
  await fs.writeFile(path.join(root, 'a', 'model.weights.bin'), bytes);
  await engine.saveProject(original, project);

  const copy = path.join(root, 'b', 'copy.netwright.json');
  await engine.saveProject(copy, await engine.openProject(original), original);
  const carried = await readProjectWeights(await engine.openProject(copy), path.dirname(copy));
  expect([...carried!.get('d1/kernel')!.data]).toEqual([...kernel.data]);

  // A different weights file of the same name in the target folder stays as it was.
  const other = Buffer.from(new Float32Array(64).buffer);
  await fs.writeFile(path.join(root, 'c', 'model.weights.bin'), other);
  const err = await engine.saveProject(path.join(root, 'c', 'x.netwright.json'), project, original).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).data.message).toBe(
    'The folder you are saving into already has a different model.weights.bin; save under another name or into another folder.',
  );
  expect((await fs.readFile(path.join(root, 'c', 'model.weights.bin'))).equals(other)).toBe(true);
  await expect(fs.access(path.join(root, 'c', 'x.netwright.json'))).rejects.toThrow();
});
