// Every edit is an undo step, not only graph edits: the project name, the training settings and the
// data source, against the real editor store. Typing into one field is one step.
import { beforeEach, expect, it, vi } from 'vitest';
import { useEditor } from '../../renderer/src/state/editor-store.ts';
import type { Project } from '../../engine/project/schema.ts';

const project = {
  format: 'netwright',
  version: 1,
  name: 'Iris',
  graph: {
    nodes: [{ id: 'in', type: 'Input', params: { shape: [4] }, position: { x: 0, y: 0 } }],
    edges: [],
  },
  data: { source: 'builtin:iris', target: 'species' },
  training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 50, batchSize: 16 },
} as unknown as Project;

const store = () => useEditor.getState();
beforeEach(() => {
  vi.useRealTimers();
  store().loadProject(structuredClone(project), null);
});

it('renaming, training settings and the data source are undo steps, in order with graph edits', () => {
  store().addNode('Dense', { x: 0, y: 100 });
  store().setMeta({ data: { ...store().meta.data!, source: 'builtin:mnist' } });
  store().setMeta({ training: { ...store().meta.training!, epochs: 7 } });
  store().setMeta({ name: 'Renamed' });
  expect(
    store()
      .past.map((e) => e.label)
      .slice(-3),
  ).toEqual(['Change the data settings', 'Change the training settings', 'Rename the project']);

  store().undo();
  expect(store().toProject().name).toBe('Iris');
  store().undo();
  expect(store().toProject().training?.epochs).toBe(50);
  // Undoing the data source change reverts the data, not the graph edit made before it.
  store().undo();
  expect(store().toProject().data?.source).toBe('builtin:iris');
  expect(store().nodes).toHaveLength(2);
  store().undo();
  expect(store().nodes).toHaveLength(1);

  store().redo();
  store().redo();
  expect(store().toProject().data?.source).toBe('builtin:mnist');
  expect(store().nodes).toHaveLength(2);
  store().redo();
  store().redo();
  expect(store().toProject()).toMatchObject({ name: 'Renamed', training: { epochs: 7 } });
});

it('typing into one field is one step; another field starts a new one', () => {
  vi.useFakeTimers();
  const before = store().past.length;
  for (const epochs of [1, 10, 100]) {
    store().setMeta({ training: { ...store().meta.training!, epochs } });
    vi.advanceTimersByTime(200);
  }
  expect(store().past.length).toBe(before + 1);
  store().setMeta({ training: { ...store().meta.training!, batchSize: 64 } });
  expect(store().past.length).toBe(before + 2);
  store().undo();
  expect(store().toProject().training).toMatchObject({ epochs: 100, batchSize: 16 });
  store().undo();
  expect(store().toProject().training).toMatchObject({ epochs: 50, batchSize: 16 });
});
