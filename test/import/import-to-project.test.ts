// File › Import's engine side (EngineApi.importModel through createEngine): the project lands beside
// the model, a second import of the same model takes the next free name instead of overwriting, and
// a refusal is one sentence naming the file without its folder, with nothing written.
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/api.ts';
import { createEngine } from '../../engine/service.ts';
import { readProjectFile } from '../../engine/project/files.ts';
import { fixture, freshDir } from './helpers.ts';

const engine = createEngine();

describe('EngineApi.importModel', () => {
  it('writes the project and its weights beside the model, never over an earlier import', async () => {
    const dir = freshDir();
    const source = path.join(dir, 'torch-mlp.onnx');
    copyFileSync(fixture('torch-mlp.onnx'), source);
    const first = await engine.importModel({ source });
    expect(first).toMatchObject({ projectPath: path.join(dir, 'torch-mlp.netwright.json'), format: 'onnx' });
    expect(first.nodes).toBe(5);
    expect(first.maxAbsDiff).toBeLessThan(1e-5);
    const second = await engine.importModel({ source });
    expect(second.projectPath).toBe(path.join(dir, 'torch-mlp-2.netwright.json'));
    expect(readdirSync(dir).sort()).toEqual([
      'torch-mlp-2.netwright.json',
      'torch-mlp-2.weights.bin',
      'torch-mlp.netwright.json',
      'torch-mlp.onnx',
      'torch-mlp.weights.bin',
    ]);
    const read = await readProjectFile(second.projectPath);
    expect(read.ok && read.project.weights?.file).toBe('torch-mlp-2.weights.bin');
  }, 120_000);

  it('refuses in one sentence naming the file, not its folder, and writes nothing', async () => {
    const dir = freshDir();
    copyFileSync(fixture('helper-unsupported.onnx'), path.join(dir, 'odd.onnx'));
    writeFileSync(path.join(dir, 'notes.onnx'), 'plain text');
    const refusal = (source: string) =>
      engine.importModel({ source }).then(
        () => null,
        (err: unknown) => err,
      );
    const unsupported = await refusal(path.join(dir, 'odd.onnx'));
    expect(unsupported).toBeInstanceOf(EngineError);
    expect((unsupported as EngineError).data).toEqual({
      code: 'invalid',
      message:
        'odd.onnx can\'t be imported, nothing was written: Erf node "gelu/Erf": no Netwright layer computes this op. (and 1 more part: Cos "wave/Cos")',
    });
    const notModel = (await refusal(path.join(dir, 'notes.onnx'))) as EngineError;
    expect(notModel.data.code).toBe('unreadable');
    expect(notModel.message).toBe(
      "notes.onnx can't be imported: the file is not an ONNX model (its bytes are not a ModelProto).",
    );
    expect(notModel.message).not.toContain(dir);
    expect(readdirSync(dir).sort()).toEqual(['notes.onnx', 'odd.onnx']);
  }, 120_000);
});
