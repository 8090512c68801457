// Data edits made with setData (the data panel's column → Input assignment) are undo steps like graph
// edits, and undoing a graph edit leaves the data section alone — against the real editor store.
import { beforeEach, expect, it } from 'vitest';
import { useEditor } from '../../renderer/src/state/editor-store.ts';
import type { Project, ProjectData } from '../../engine/project/schema.ts';

const inputs = { sepal: ['sepal_length', 'sepal_width'], petal: ['petal_length', 'petal_width'] };
const project = {
  format: 'netwright',
  version: 1,
  name: 'data undo',
  graph: {
    nodes: [{ id: 'sepal', type: 'Input', params: { shape: [2] }, position: { x: 0, y: 0 } }],
    edges: [],
  },
  data: { source: 'builtin:iris', target: 'species', inputs },
} as unknown as Project;
const moved = {
  source: 'builtin:iris',
  target: 'species',
  inputs: { sepal: ['sepal_length'], petal: ['sepal_width', 'petal_length', 'petal_width'] },
} as unknown as ProjectData;

const store = () => useEditor.getState();
beforeEach(() => store().loadProject(structuredClone(project), null));

it('undo and redo a data edit; the project is dirty after it', () => {
  store().setData(moved, 'Give sepal_width to petal');
  expect(store().toProject().data).toEqual(moved);
  expect(store().past.at(-1)?.label).toBe('Give sepal_width to petal');
  expect(store().revision).not.toBe(store().savedRevision);
  store().undo();
  expect(store().toProject().data).toEqual(project.data);
  store().redo();
  expect(store().toProject().data).toEqual(moved);
});

it('undoing a graph edit made after a data edit keeps the data; the next undo reverts the data', () => {
  store().setData(moved, 'Give sepal_width to petal');
  store().addNode('Dense', { x: 0, y: 100 });
  expect(store().nodes).toHaveLength(2);
  store().undo();
  expect(store().nodes).toHaveLength(1);
  expect(store().toProject().data).toEqual(moved);
  store().undo();
  expect(store().toProject().data).toEqual(project.data);
  expect(store().nodes).toHaveLength(1);
});
