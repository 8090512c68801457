// What a user sees when a model can't be imported: every unsupported op named with its node, exit 1,
// nothing written; a file that is not a model at all, exit 2; never a path outside what they typed,
// never a stack trace.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { netwright } from '../cli/run-cli.ts';
import { fixture, freshDir } from './helpers.ts';

describe('netwright import refuses what it cannot carry over', () => {
  it('lists every unsupported op with its node, exits 1 and writes nothing', async () => {
    const dir = freshDir();
    const out = path.join(dir, 'model.netwright.json');
    const r = await netwright('import', fixture('helper-unsupported.onnx'), '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Erf node "gelu/Erf": no Netwright layer computes this op.');
    expect(r.stderr).toContain('Cos node "wave/Cos": no Netwright layer computes this op.');
    expect(r.stderr).toContain(
      "helper-unsupported.onnx can't be imported (2 problems); nothing was written.",
    );
    expect(r.stderr).not.toContain(path.dirname(fixture('x')));
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("PyTorch's GRU (linear_before_reset = 1) is refused in one sentence naming the node, nothing written", async () => {
    const dir = freshDir();
    const r = await netwright(
      'import',
      fixture('torch-gru.onnx'),
      '--out',
      path.join(dir, 'g.netwright.json'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'GRU node "/gru/GRU": linear_before_reset = 1 (PyTorch\'s GRU) applies the reset gate after the recurrent product, and tfjs\' GRU can only apply it before (it has no reset_after), so no Netwright GRU computes this layer.',
    );
    expect(r.stderr).toContain("torch-gru.onnx can't be imported (1 problem); nothing was written.");
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a file that is not an ONNX model: exit 2, one sentence', async () => {
    const dir = freshDir();
    const bad = path.join(dir, 'notes.onnx');
    writeFileSync(bad, 'these are not protobuf bytes, just text');
    const r = await netwright('import', bad, '--out', path.join(dir, 'p.netwright.json'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'netwright: notes.onnx: the file is not an ONNX model (its bytes are not a ModelProto).',
    );
    expect(existsSync(path.join(dir, 'p.netwright.json'))).toBe(false);
  });

  it('a missing file: exit 2, named as typed', async () => {
    const dir = freshDir();
    const r = await netwright(
      'import',
      path.join(dir, 'gone.onnx'),
      '--out',
      path.join(dir, 'p.netwright.json'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('netwright: gone.onnx: the file does not exist.');
  });
});
