// The shipped examples are templates: saving over one is refused with a sentence, the file stays as
// shipped, and saving the same project elsewhere works.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/api.ts';
import { createEngine } from '../../engine/service.ts';
import { EXAMPLES_DIR, loadExample } from '../../engine/examples.ts';

describe('bundled examples are read-only', () => {
  it('refuses a save over an example, also through a symlinked folder, and keeps the file', async () => {
    const engine = createEngine();
    const file = path.join(EXAMPLES_DIR, 'iris-mlp.netwright.json');
    const shipped = await fs.readFile(file, 'utf8');
    const project = { ...(await loadExample('iris-mlp')), name: 'Changed' };
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'netwright-ro-'));
    try {
      await fs.symlink(EXAMPLES_DIR, path.join(tmp, 'linked'));
      for (const target of [
        file,
        path.join(tmp, 'linked', 'iris-mlp.netwright.json'),
        path.join(EXAMPLES_DIR, 'new.netwright.json'),
      ]) {
        const err = await engine.saveProject(target, project).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(EngineError);
        expect((err as EngineError).data.code).toBe('forbidden');
        expect((err as EngineError).data.message).toBe(
          'The bundled examples are read-only; save your changes under a new name with Save As.',
        );
      }
      expect(await fs.readFile(file, 'utf8')).toBe(shipped);
      await expect(fs.access(path.join(EXAMPLES_DIR, 'new.netwright.json'))).rejects.toThrow();
      const copy = path.join(tmp, 'copy.netwright.json');
      await engine.saveProject(copy, project);
      expect((await engine.openProject(copy)).name).toBe('Changed');
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});
