// The user's palette of saved blocks through EngineApi (docs/ARCHITECTURE.md, "Blocks"): saved in the
// folder the host gives, listed by name, replaced by name, bad blocks refused in one sentence, files
// that are not blocks left out.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/service.ts';
import { EngineError, type UserBlock } from '../../engine/api.ts';

const block = (name: string, units = 8): UserBlock => ({
  name,
  nodes: [
    { id: 'd1', type: 'Dense', params: { units, activation: 'relu' }, position: { x: 0, y: 0 } },
    { id: 'drop', type: 'Dropout', params: { rate: 0.2 }, position: { x: 0, y: 100 } },
  ],
  edges: [{ id: 'e1', source: 'd1', target: 'drop' }],
});

describe('user blocks', () => {
  it('saves, lists by name and replaces a block of the same name', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'nw-user-blocks-')), 'blocks');
    const engine = createEngine({ userBlocksDir: dir });
    expect(await engine.listUserBlocks()).toEqual([]);
    await engine.saveUserBlock(block('Dense + dropout'));
    await engine.saveUserBlock(block('A head / with "odd" name'));
    await engine.saveUserBlock(block('Dense + dropout', 32));
    const listed = await engine.listUserBlocks();
    expect(listed.map((b) => b.name)).toEqual(['A head / with "odd" name', 'Dense + dropout']);
    expect(listed[1].nodes[0].params.units).toBe(32);
    expect(listed[1].edges).toEqual([{ id: 'e1', source: 'd1', target: 'drop' }]);
    expect(readdirSync(dir)).toHaveLength(2);
    // A block nested in it comes back with it.
    await engine.saveUserBlock({
      ...block('Nested'),
      blocks: [{ name: 'Drop', nodes: ['drop'], collapsed: true }],
    });
    expect((await engine.listUserBlocks()).find((b) => b.name === 'Nested')?.blocks).toEqual([
      { name: 'Drop', nodes: ['drop'], collapsed: true },
    ]);
    // Another engine on the same folder (another project, another session) sees them.
    expect((await createEngine({ userBlocksDir: dir }).listUserBlocks()).length).toBe(3);
  });

  it('refuses a block without a name or with an edge leading out, and skips files that are not blocks', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-user-blocks-'));
    const engine = createEngine({ userBlocksDir: dir });
    await expect(engine.saveUserBlock({ ...block('x'), name: ' ' })).rejects.toThrow(EngineError);
    const loose = { ...block('Loose'), edges: [{ id: 'e9', source: 'd1', target: 'elsewhere' }] };
    await expect(engine.saveUserBlock(loose)).rejects.toThrow(
      `The block can't be saved: its edge "e9" leads outside the block.`,
    );
    const stray = { ...block('Stray'), blocks: [{ name: 'Gone', nodes: ['elsewhere'] }] };
    await expect(engine.saveUserBlock(stray)).rejects.toThrow(
      `The block can't be saved: the block "Gone" inside it holds a node outside it.`,
    );
    writeFileSync(path.join(dir, 'junk.block.json'), '{"name": 3}');
    writeFileSync(path.join(dir, 'broken.block.json'), '{');
    await engine.saveUserBlock(block('Good'));
    expect((await engine.listUserBlocks()).map((b) => b.name)).toEqual(['Good']);
  });
});
