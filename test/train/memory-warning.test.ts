// The memory estimate is checked before training starts and reaches the user as a warning.
import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, REPO } from '../reliability/helpers/cli.ts';

async function irisProject(units: number): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nw-mem-'));
  const project = JSON.parse(
    await fs.readFile(path.join(REPO, 'resources/examples/iris-mlp.netwright.json'), 'utf8'),
  );
  project.graph.nodes.find((n: { id: string }) => n.id === 'd1').params.units = units;
  const file = path.join(dir, 'p.netwright.json');
  await fs.writeFile(file, JSON.stringify(project));
  return file;
}

describe('memory warning before training', () => {
  it('warns, with a batch size that fits, when the batch would need more memory than is available', async () => {
    const file = await irisProject(4096);
    const out = path.join(path.dirname(file), 'run');
    const result = await runCli(['train', file, '--out', out, '--epochs', '1', '--batch-size', '1000000']);
    expect(result.stderr).toMatch(/warning: .*memory.*batch size/i);
    expect(result.code).toBe(0);
  });

  it('says nothing for a small model and batch', async () => {
    const file = await irisProject(16);
    const out = path.join(path.dirname(file), 'run');
    const result = await runCli(['train', file, '--out', out, '--epochs', '1']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/warning:/);
  });
});
