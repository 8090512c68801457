// Blocks in the editor store and the canvas view (docs/ARCHITECTURE.md, "Blocks"), without React:
// grouping, moving a collapsed block (its nodes follow), connecting to it (its first/last layer),
// deleting a member, undo/redo, what React Flow is given, and the file written.
import { beforeEach, describe, expect, it } from 'vitest';
import { useEditor } from '../../renderer/src/state/editor-store.ts';
import { canvasView } from '../../renderer/src/canvas/block-view.ts';
import { blockFacts } from '../../renderer/src/state/blocks.ts';
import type { Project } from '../../engine/project/schema.ts';

const start = {
  format: 'netwright',
  version: 1,
  name: 'blocks',
  graph: {
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } },
      { id: 'd1', type: 'Dense', params: { units: 8, activation: 'relu' }, position: { x: 0, y: 120 } },
      { id: 'd2', type: 'Dense', params: { units: 3, activation: 'softmax' }, position: { x: 10, y: 240 } },
      { id: 'out', type: 'Output', params: { loss: 'categoricalCrossentropy' }, position: { x: 0, y: 360 } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'd1' },
      { id: 'e2', source: 'd1', target: 'd2' },
      { id: 'e3', source: 'd2', target: 'out' },
    ],
  },
} as Project;

const store = () => useEditor.getState();
const view = () => canvasView(store().nodes, store().edges, store().blocks, store().selectedBlock);

function group(ids: string[], name = 'Head'): void {
  useEditor.setState({ nodes: store().nodes.map((n) => ({ ...n, selected: ids.includes(n.id) })) });
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
    // Blocks never nest; a name is needed.
    useEditor.setState({ nodes: store().nodes.map((n) => ({ ...n, selected: n.id === 'd1' })) });
    expect(store().groupSelection('Again')).toBe('Node "d1" is already in a block; blocks do not nest.');
    expect(store().groupSelection('  ')).toBe('Give the block a name.');
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

  it('a saved block comes back with fresh ids as a collapsed block', () => {
    group(['d1', 'd2']);
    const content = store().blockContent('block1')!;
    expect(content.nodes.map((n) => n.position)).toEqual([
      { x: 0, y: 0 },
      { x: 10, y: 120 },
    ]);
    store().insertBlock(content, { x: 400, y: 0 });
    const added = store().blocks[1];
    expect(added).toMatchObject({ name: 'Head', collapsed: true, position: { x: 400, y: 0 } });
    expect(added.nodes).toEqual(['dense1', 'dense2']);
    expect(
      store()
        .edges.filter((e) => e.source === 'dense1')
        .map((e) => e.target),
    ).toEqual(['dense2']);
  });
});
