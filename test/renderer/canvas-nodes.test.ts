// What React Flow is handed for each edit (renderer/src/canvas/canvas-nodes.ts), against the real
// editor store: an edit that changes no node on the canvas hands over the same array, so React Flow
// does no work for it; an edit that does changes only the objects of the nodes it touched, and a node
// keeps the size React Flow measured.
import { beforeEach, describe, expect, it } from 'vitest';
import { useEditor } from '../../renderer/src/state/editor-store.ts';
import { canvasLayers, type CanvasLayers } from '../../renderer/src/canvas/canvas-nodes.ts';
import { denseChain } from './dense-chain.ts';

const project = denseChain('canvas nodes', { inputShape: [8, 4] });

const store = () => useEditor.getState();
let layers: CanvasLayers;

beforeEach(() => {
  store().loadProject(structuredClone(project), null);
  layers = canvasLayers();
});

describe('canvas layer nodes', () => {
  it('a parameter edit that changes every shape hands React Flow the same array', () => {
    const before = layers.nodes(store().nodes);
    expect(before.map((n) => n.data)).toEqual([
      { layerType: 'Input' },
      { layerType: 'Dense' },
      { layerType: 'Dense' },
      { layerType: 'Output' },
    ]);
    store().setParam('in', 'shape', [12, 4]);
    expect(store().inspection.views.get('out')?.shapeText).toBe('[?, 12, 3]');
    expect(layers.nodes(store().nodes)).toBe(before);
  });

  it('adding a node changes only the new node and the one it took the selection from', () => {
    store().selectOnly('d1');
    const before = layers.nodes(store().nodes);
    const id = store().addNode('Dense', { x: 200, y: 120 });
    const after = layers.nodes(store().nodes);
    expect(after).not.toBe(before);
    const changed = after.filter((n, i) => n !== before[i]).map((n) => n.id);
    expect(changed).toEqual(['d1', id]);
    expect(after.find((n) => n.id === 'd1')?.selected).toBe(false);
    expect(after.find((n) => n.id === id)?.selected).toBe(true);
  });

  it('a measurement stays on the canvas and later copies of the node carry it; other changes go to the editor', () => {
    const before = layers.nodes(store().nodes);
    const left = layers.measure([
      { id: 'd1', type: 'dimensions', dimensions: { width: 184, height: 72 } },
      { id: 'd1', type: 'select', selected: true },
    ]);
    expect(left).toEqual([{ id: 'd1', type: 'select', selected: true }]);
    // React Flow measured the node itself: nothing new to hand over for that.
    expect(layers.nodes(store().nodes)).toBe(before);
    store().onNodesChange([{ id: 'd1', type: 'select', selected: true }]);
    const d1 = layers.nodes(store().nodes).find((n) => n.id === 'd1')!;
    expect(d1.selected).toBe(true);
    expect(d1.measured).toEqual({ width: 184, height: 72 });
    expect(store().nodes.find((n) => n.id === 'd1')?.measured).toBeUndefined();
  });
});
