// Undo/redo of every edit kind (issue 5, item 3), against the real editor store (zustand, no React
// rendering needed): do it → undo → the graph equals before → redo → the graph equals after, and no
// state the store ever publishes has an edge to a missing node or a stale inspection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEditor, type EditorState } from '../../renderer/src/state/editor-store.ts';
import { snapshotOf, type GraphSnapshot } from '../../renderer/src/state/graph-model.ts';
import { layoutGraph } from '../../renderer/src/canvas/layout.ts';
import { denseChain } from './dense-chain.ts';

const start = denseChain('undo');

const store = () => useEditor.getState();
const graph = (): GraphSnapshot => snapshotOf(store().nodes, store().edges);

/** Every state the store publishes must be a consistent graph whose inspection matches it. */
function consistencyProblem(s: EditorState): string | null {
  const ids = new Set(s.nodes.map((n) => n.id));
  if (ids.size !== s.nodes.length) return 'duplicate node ids';
  const dangling = s.edges.find((e) => !ids.has(e.source) || !ids.has(e.target));
  if (dangling) return `edge ${dangling.id} points to a missing node`;
  const viewed = [...s.inspection.views.keys()].sort();
  if (viewed.join() !== [...ids].sort().join())
    return `inspection covers ${viewed} but graph has ${[...ids]}`;
  return null;
}

let problems: string[] = [];
let unsubscribe: () => void = () => {};

beforeEach(() => {
  store().loadProject(structuredClone(start), null);
  problems = [];
  unsubscribe = useEditor.subscribe((s) => {
    const p = consistencyProblem(s);
    if (p) problems.push(p);
  });
});
afterEach(() => {
  unsubscribe();
  expect(problems).toEqual([]);
});

/** Run an edit and check undo and redo round-trip it exactly. */
async function roundTrip(
  edit: () => void | Promise<void>,
): Promise<{ before: GraphSnapshot; after: GraphSnapshot }> {
  const before = graph();
  await edit();
  const after = graph();
  expect(after).not.toEqual(before);
  store().undo();
  expect(graph()).toEqual(before);
  store().redo();
  expect(graph()).toEqual(after);
  // And once more, so redo left a usable history behind.
  store().undo();
  expect(graph()).toEqual(before);
  store().redo();
  expect(graph()).toEqual(after);
  return { before, after };
}

describe('editor undo/redo', () => {
  it('add', async () => {
    const { after } = await roundTrip(() => {
      store().addNode('Dropout', { x: 200, y: 200 });
    });
    expect(after.nodes.map((n) => n.type)).toContain('Dropout');
  });

  it('delete a node with its edges', async () => {
    const { after } = await roundTrip(() => {
      store().selectOnly('d1');
      store().deleteSelection();
    });
    expect(after.nodes.map((n) => n.id)).not.toContain('d1');
    expect(after.edges.map((e) => e.id)).toEqual(['e3']);
  });

  it('delete through React Flow remove changes (Backspace on the canvas)', async () => {
    await roundTrip(() => store().onNodesChange([{ type: 'remove', id: 'd2' }]));
    await roundTrip(() => store().onEdgesChange([{ type: 'remove', id: 'e1' }]));
  });

  it('connect', async () => {
    store().onEdgesChange([{ type: 'remove', id: 'e2' }]);
    const { after } = await roundTrip(() => {
      expect(store().connect('d1', 'd2')).toBeNull();
    });
    expect(after.edges.some((e) => e.source === 'd1' && e.target === 'd2')).toBe(true);
  });

  it('a refused connection records no undo step', () => {
    const past = store().past.length;
    expect(store().connect('d2', 'd1')).toMatch(/single input/);
    expect(store().past.length).toBe(past);
  });

  it('move (drag start, position changes, drag stop)', async () => {
    const { after } = await roundTrip(() => {
      store().beginMove();
      store().onNodesChange([{ type: 'position', id: 'd1', position: { x: 60, y: 130 }, dragging: true }]);
      store().onNodesChange([{ type: 'position', id: 'd1', position: { x: 150, y: 140 }, dragging: true }]);
      store().endMove();
    });
    expect(after.nodes.find((n) => n.id === 'd1')?.position).toEqual({ x: 150, y: 140 });
  });

  it('a click without movement is not an undo step and keeps redo', () => {
    store().addNode('Dropout', { x: 10, y: 10 });
    store().undo();
    const future = store().future.length;
    const past = store().past.length;
    store().beginMove();
    store().endMove();
    expect(store().past.length).toBe(past);
    expect(store().future.length).toBe(future);
    store().redo();
    expect(graph().nodes.map((n) => n.type)).toContain('Dropout');
  });

  it('param change, with quick edits of one field merged into one step', async () => {
    const { before, after } = await roundTrip(() => {
      store().setParam('d1', 'units', 1);
      store().setParam('d1', 'units', 16);
    });
    expect(before.nodes.find((n) => n.id === 'd1')?.params?.units).toBe(8);
    expect(after.nodes.find((n) => n.id === 'd1')?.params?.units).toBe(16);
    // The shape shown on the canvas follows undo/redo too.
    expect(store().inspection.views.get('d1')?.shapeText).toBe('[?, 16]');
    store().undo();
    expect(store().inspection.views.get('d1')?.shapeText).toBe('[?, 8]');
  });

  it('paste', async () => {
    store().selectAll();
    store().copySelection();
    const { before, after } = await roundTrip(() => store().paste());
    expect(after.nodes.length).toBe(before.nodes.length * 2);
    expect(after.edges.length).toBe(before.edges.length * 2);
  });

  it('duplicate', async () => {
    store().selectOnly('d1');
    const { after } = await roundTrip(() => store().duplicateSelection());
    expect(after.nodes.filter((n) => n.type === 'Dense')).toHaveLength(3);
  });

  it('auto layout (real elkjs)', async () => {
    // Scramble positions first, so the layout has something to change.
    store().applyPositions(
      new Map([
        ['in', { x: 400, y: 0 }],
        ['out', { x: -300, y: 10 }],
      ]),
      'Scramble',
    );
    await roundTrip(async () => {
      const layout = await layoutGraph(store().nodes, store().edges);
      store().applyPositions(layout.nodes, 'Auto layout');
    });
  });

  it('a long mixed sequence undoes back to the start and redoes to the end', () => {
    const begin = graph();
    const added = store().addNode('Dense', { x: 300, y: 300 });
    store().onEdgesChange([{ type: 'remove', id: 'e2' }]);
    expect(store().connect('d1', added)).toBeNull();
    expect(store().connect(added, 'd2')).toBeNull();
    store().setParam(added, 'units', 5);
    store().selectOnly('d1');
    store().duplicateSelection();
    store().selectOnly(added);
    store().deleteSelection();
    const end = graph();
    while (store().past.length) store().undo();
    expect(graph()).toEqual(begin);
    while (store().future.length) store().redo();
    expect(graph()).toEqual(end);
  });
});
