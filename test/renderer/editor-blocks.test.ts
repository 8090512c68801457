// Blocks in the editor store and the canvas view (docs/ARCHITECTURE.md, "Blocks"), without React:
// grouping, moving a collapsed block (its nodes follow), connecting to it (its first/last layer),
// deleting a member, undo/redo, what React Flow is given, and the file written.
import { beforeEach, describe, expect, it } from 'vitest';
import { useEditor } from '../../renderer/src/state/editor-store.ts';
import { canvasView } from '../../renderer/src/canvas/block-view.ts';
import { blockFacts } from '../../renderer/src/state/blocks.ts';
import { CURRENT_VERSION } from '../../engine/project/schema.ts';
import { denseChain } from './dense-chain.ts';
import { projectFromJson } from '../../engine/project/load.ts';
import { layoutGraph } from '../../renderer/src/canvas/layout.ts';

type Box = { x0: number; y0: number; x1: number; y1: number };
/** Where React Flow draws each node of the canvas view (cards and frames have fixed sizes; layers are 184×72). */
function boxes(): Map<string, Box> {
  return new Map(
    view().nodes.map((n) => {
      const w = n.width ?? 184;
      const h = n.height ?? 72;
      return [n.id, { x0: n.position.x, y0: n.position.y, x1: n.position.x + w, y1: n.position.y + h }];
    }),
  );
}
const overlap = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const inside = (a: Box, b: Box) => a.x0 >= b.x0 && a.y0 >= b.y0 && a.x1 <= b.x1 && a.y1 <= b.y1;

const start = denseChain('blocks', { version: CURRENT_VERSION, d2x: 10 });

const store = () => useEditor.getState();
const view = () => canvasView(store().nodes, store().edges, store().blocks, store().selectedBlock);

function select(ids: string[]): void {
  useEditor.setState({
    nodes: store().nodes.map((n) => ({ ...n, selected: ids.includes(n.id) })),
    selectedBlock: null,
  });
}

function group(ids: string[], name = 'Head'): void {
  select(ids);
  expect(store().groupSelection(name)).toBeNull();
}

beforeEach(() => store().loadProject(structuredClone(start), null));

describe('blocks in the editor', () => {
  it('a graph without blocks reaches React Flow as the store’s own arrays', () => {
    const v = view();
    expect(v.nodes).toBe(store().nodes);
    expect(v.edges).toBe(store().edges);
  });

  it('a collapsed block is one node; crossing edges end at it and keep their layer’s shape', () => {
    group(['d1', 'd2']);
    const v = view();
    expect(v.nodes.map((n) => n.id)).toEqual(['in', 'out', 'block:block1']);
    expect(v.edges.map((e) => `${e.source}->${e.target} (${e.data?.shapeFrom ?? e.source})`)).toEqual([
      'in->block:block1 (in)',
      'block:block1->out (d2)',
    ]);
    const facts = blockFacts(store().blocks[0], store().edges, store().inspection.views);
    expect(facts).toEqual({
      inShapes: '[?, 4]',
      outShapes: '[?, 3]',
      params: 4 * 8 + 8 + 8 * 3 + 3,
      count: 2,
      errors: 0,
    });
    expect(store().toProject().blocks).toEqual([
      { id: 'block1', name: 'Head', nodes: ['d1', 'd2'], collapsed: true, position: { x: 0, y: 120 } },
    ]);
    // A block needs a name and may not take part of another block.
    expect(store().groupSelection('  ')).toBe('Give the block a name.');
    select(['d2', 'out']);
    expect(store().groupSelection('Across')).toBe(
      'The selection holds part of block "Head": select all of it (its card, or every node in its frame) or only nodes inside it.',
    );
  });

  it('moving the collapsed block moves its nodes, so expanding shows them in place', () => {
    group(['d1', 'd2']);
    store().beginMove();
    store().onNodesChange([
      { type: 'position', id: 'block:block1', position: { x: 200, y: 150 }, dragging: true },
    ]);
    store().endMove();
    const at = (id: string) => store().nodes.find((n) => n.id === id)!.position;
    expect(at('d1')).toEqual({ x: 200, y: 150 });
    expect(at('d2')).toEqual({ x: 210, y: 270 });
    store().setBlockCollapsed('block1', false);
    const v = view();
    expect(v.nodes.map((n) => n.id)).toEqual(['frame:block1', 'in', 'd1', 'd2', 'out']);
    expect(v.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['in->d1', 'd1->d2', 'd2->out']);
    store().undo(); // expand
    store().undo(); // move
    expect(at('d1')).toEqual({ x: 0, y: 120 });
    expect(store().blocks[0].collapsed).toBe(true);
    store().undo(); // group
    expect(store().blocks).toEqual([]);
    store().redo();
    expect(store().blocks.map((b) => b.name)).toEqual(['Head']);
  });

  it('a connection to or from a collapsed block goes to its first or last layer', () => {
    group(['d1', 'd2']);
    expect(store().connectionEnd('block:block1', 'target')).toBe('d1');
    expect(store().connectionEnd('block:block1', 'source')).toBe('d2');
    expect(store().connectionEnd('in', 'source')).toBe('in');
  });

  it('deleting a block deletes its nodes; deleting its last member removes the block', () => {
    group(['d1', 'd2']);
    store().selectBlock('block1');
    store().deleteSelection();
    expect(store().nodes.map((n) => n.id)).toEqual(['in', 'out']);
    expect(store().blocks).toEqual([]);
    store().undo();
    expect(store().nodes.map((n) => n.id)).toEqual(['in', 'd1', 'd2', 'out']);
    expect(store().blocks).toHaveLength(1);
    store().setBlockCollapsed('block1', false);
    useEditor.setState({ nodes: store().nodes.map((n) => ({ ...n, selected: n.id === 'd2' })) });
    store().deleteSelection();
    expect(store().blocks[0].nodes).toEqual(['d1']);
  });

  it('a saved block comes back with fresh ids as a collapsed block, the blocks nested in it too', () => {
    group(['d1', 'd2']);
    store().setBlockCollapsed('block1', false);
    group(['d2'], 'Last');
    store().setBlockCollapsed('block1', true);
    const content = store().blockContent('block1')!;
    expect(content.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 10, y: 120 },
    ]);
    store().insertBlock(content, { x: 400, y: 0 });
    const added = store().blocks.find((b) => b.id === 'block3')!;
    expect(added).toMatchObject({ name: 'Head', collapsed: true, position: { x: 400, y: 0 } });
    expect(added.nodes).toEqual(['dense1', 'dense2']);
    expect(content.blocks).toEqual([{ name: 'Last', nodes: ['d2'], collapsed: true }]);
    expect(store().blocks[3]).toMatchObject({
      id: 'block4',
      name: 'Last',
      nodes: ['dense2'],
      collapsed: true,
    });
    expect(
      store()
        .edges.filter((e) => e.source === 'dense1')
        .map((e) => e.target),
    ).toEqual(['dense2']);
  });

  it('blocks nest: a block inside an expanded block, and a block holding a whole block', () => {
    group(['d1', 'd2'], 'Outer');
    store().setBlockCollapsed('block1', false);
    group(['d1'], 'Inner');
    expect(store().blocks.map((b) => [b.id, b.nodes, b.collapsed])).toEqual([
      ['block1', ['d1', 'd2'], false],
      ['block2', ['d1'], true],
    ]);
    // The outer frame holds the inner block's card and d2.
    let v = view();
    expect(v.nodes.map((n) => n.id)).toEqual(['frame:block1', 'in', 'd2', 'out', 'block:block2']);
    expect(v.edges.map((e) => `${e.source}->${e.target}`)).toEqual([
      'in->block:block2',
      'block:block2->d2',
      'd2->out',
    ]);
    const b = boxes();
    expect(inside(b.get('block:block2')!, b.get('frame:block1')!)).toBe(true);
    expect(inside(b.get('d2')!, b.get('frame:block1')!)).toBe(true);
    // Collapsing the outer block hides the inner one with it and makes its card the selection (no
    // hidden node stays selected); expanding it brings the inner card back.
    select(['d2', 'in']);
    store().setBlockCollapsed('block1', true);
    expect(store().nodes.filter((n) => n.selected)).toEqual([]);
    expect(store().selectedBlock).toBe('block1');
    v = view();
    expect(v.nodes.map((n) => n.id)).toEqual(['in', 'out', 'block:block1']);
    expect(v.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['in->block:block1', 'block:block1->out']);
    // Moving the outer card carries the inner block's card along.
    const innerAt = store().blocks[1].position!;
    store().onNodesChange([
      { type: 'position', id: 'block:block1', position: { x: 100, y: 220 }, dragging: true },
    ]);
    expect(store().blocks[1].position).toEqual({ x: innerAt.x + 100, y: innerAt.y + 100 });
    store().setBlockCollapsed('block1', false);
    expect(view().nodes.map((n) => n.id)).toContain('block:block2');
    // The same nodes twice is refused; a selected card and a node make a block around both.
    store().selectBlock('block2');
    expect(store().groupSelection('Again')).toBe('These nodes already make up block "Inner".');
    select(['in']);
    store().selectBlock('block2', true);
    expect(store().groupSelection('Across')).toBe(
      'The selection holds part of block "Outer": select all of it (its card, or every node in its frame) or only nodes inside it.',
    );
    store().setBlockCollapsed('block1', true);
    select(['in']);
    store().selectBlock('block1', true);
    expect(store().groupSelection('Stem')).toBeNull();
    expect(
      store()
        .blocks.find((x) => x.name === 'Stem')
        ?.nodes.sort(),
    ).toEqual(['d1', 'd2', 'in']);
    store().undo(); // group
    store().undo(); // collapse
    // The file keeps the nesting and loads again.
    const doc = JSON.parse(JSON.stringify(store().toProject()));
    const loaded = projectFromJson(doc);
    expect(loaded.ok && loaded.project.blocks).toEqual(store().blocks);
    // Deleting d2 leaves the outer block holding what the inner one holds: one block stays.
    select(['d2']);
    store().deleteSelection();
    expect(store().blocks.map((x) => [x.name, x.nodes])).toEqual([['Outer', ['d1']]]);
  });

  it('Layout (real elkjs) lays out a collapsed block as one node and an expanded block’s members together', async () => {
    group(['d1', 'd2'], 'Outer');
    store().setBlockCollapsed('block1', false);
    group(['d1'], 'Inner');
    // Pile everything on one spot first, so the layout has to separate it.
    store().applyPositions(
      new Map(['in', 'd1', 'd2', 'out'].map((id) => [id, { x: 0, y: 0 }])),
      'Pile',
      new Map([['block2', { x: 0, y: 0 }]]),
    );
    const run = async () => {
      const layout = await layoutGraph(store().nodes, store().edges, store().blocks);
      store().applyPositions(layout.nodes, 'Auto layout', layout.blocks);
    };
    await run();
    let b = boxes();
    const frame = b.get('frame:block1')!;
    expect(inside(b.get('block:block2')!, frame)).toBe(true);
    expect(inside(b.get('d2')!, frame)).toBe(true);
    for (const outside of ['in', 'out']) expect(overlap(b.get(outside)!, frame)).toBe(false);
    expect(overlap(b.get('block:block2')!, b.get('d2')!)).toBe(false);
    // Top to bottom: in, the inner card, d2, out.
    const ys = ['in', 'block:block2', 'd2', 'out'].map((id) => b.get(id)!.y0);
    expect([...ys].sort((x, y) => x - y)).toEqual(ys);
    // The inner card's hidden node moved with it.
    const card = store().blocks.find((x) => x.id === 'block2')!.position!;
    expect(store().nodes.find((n) => n.id === 'd1')!.position).toEqual(card);

    // Collapsed, the outer block is one node between in and out.
    store().setBlockCollapsed('block1', true);
    await run();
    b = boxes();
    expect([...b.keys()]).toEqual(['in', 'out', 'block:block1']);
    expect(overlap(b.get('in')!, b.get('block:block1')!)).toBe(false);
    expect(overlap(b.get('block:block1')!, b.get('out')!)).toBe(false);
    expect(b.get('in')!.y1).toBeLessThanOrEqual(b.get('block:block1')!.y0);
    expect(b.get('block:block1')!.y1).toBeLessThanOrEqual(b.get('out')!.y0);
    // One undo step puts everything back.
    store().undo();
    expect(store().nodes.find((n) => n.id === 'd1')!.position).toEqual(card);
  });
});
