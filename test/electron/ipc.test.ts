// The desktop app's IPC layer, driven from Node (no Electron binary here): every handler refuses
// unknown senders and bad arguments; paths are limited to dialog-chosen files and their folders.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_METHODS } from '../../electron/channels.ts';
import { METHOD_ARGS } from '../../engine/api-methods.ts';
import { createHarness, EXAMPLE, TRUSTED, type Harness } from './helpers.ts';

let h: Harness;
let project: Record<string, unknown>;

beforeAll(async () => {
  h = await createHarness();
  project = JSON.parse(await fs.readFile(EXAMPLE, 'utf8'));
  await fs.mkdir(path.join(h.tmp, 'elsewhere'));
  await fs.copyFile(EXAMPLE, path.join(h.tmp, 'elsewhere/chosen.netwright.json'));
  await fs.copyFile(EXAMPLE, path.join(h.tmp, 'private.netwright.json'));
});
afterAll(() => h?.close());

const ALL_METHODS = [...Object.keys(METHOD_ARGS), ...HOST_METHODS];

/** Arguments each handler must refuse (wrong types, missing, extra). */
const BAD_ARGS: Record<string, unknown[]> = {
  version: [1],
  backend: ['gpu'],
  listLayers: [{}],
  inspect: [{ nodes: 'not a list', edges: [] }],
  listExamples: [true],
  loadExample: [42],
  listPretrained: ['digit-features'],
  importModel: [{ source: 'm.onnx', out: 'x' }],
  openProject: [],
  saveProject: ['x.netwright.json', 'not a project'],
  previewData: [{ target: 'no source' }],
  startTraining: [{ project: {}, epochs: -3 }],
  stopTraining: [null],
  listRuns: [[]],
  exportModel: [{ onnxPath: 7 }],
  explain: [{ runDir: 7 }],
  predict: [{ runDir: 'run', files: [] }],
  exportTorchPackage: [{ project: {} }],
  importCheckpoint: [{ outDir: 'run' }],
  listFolder: [{ folder: 7 }],
  listProjects: ['x'],
  testPredictions: [7],
  listUserBlocks: [1],
  saveUserBlock: [{ name: '', nodes: [], edges: [] }],
  saveRecovery: ['not a project'],
  loadRecovery: [1],
  listRecoveries: [1],
  discardRecovery: ['../not-a-session'],
  'host.openDialog': ['x'],
  'host.saveDialog': [12],
  'host.exportDialog': ['pdf'],
  'host.setDocument': [{ dirty: 'yes' }],
  'host.initialFile': [1],
};

describe('IPC handlers', () => {
  it('cover every EngineApi method (but subscribe, which is the event stream) and every desktop call', () => {
    expect(Object.keys(BAD_ARGS).sort()).toEqual([...ALL_METHODS].sort());
    expect(ALL_METHODS).not.toContain('subscribe');
  });

  it.each(ALL_METHODS)('%s refuses callers that are not the app’s own top-level page', async (method) => {
    for (const senderFrame of [
      null,
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///tmp/page.html', parent: null },
      { url: 'app://other/index.html', parent: null },
      { url: 'app://netwright/index.html', parent: { url: 'app://netwright/index.html' } },
    ]) {
      const reply = await h.handlers.invoke({ senderFrame }, method, []);
      expect(reply).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'This window is not allowed to call the engine.' },
      });
    }
  });

  it.each(ALL_METHODS)('%s refuses bad arguments with one sentence', async (method) => {
    const reply = await h.handlers.invoke(TRUSTED, method, BAD_ARGS[method]);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid');
    expect(reply.error.message).toMatch(new RegExp(`^${method.replace('.', '\\.')}: `));
    expect(reply.error.message).not.toMatch(/\n\s+at /);
  });

  it('refuses unknown methods and malformed calls', async () => {
    expect(await h.handlers.invoke(TRUSTED, 'eval', [])).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await h.handlers.invoke(TRUSTED, 'subscribe', [])).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await h.handlers.invoke(TRUSTED, { toString: () => 'version' }, [])).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await h.handlers.invoke(TRUSTED, 'version', 'not a list')).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
  });

  it('answers real engine calls from the app’s page', async () => {
    expect(await h.call('version')).toMatch(/^\d+\.\d+\.\d+/);
    const layers = (await h.call('listLayers')) as { type: string }[];
    expect(layers.map((l) => l.type)).toEqual(expect.arrayContaining(['Input', 'Dense', 'Output']));
    const inspected = (await h.call('inspect', [project.graph])) as { valid: boolean };
    expect(inspected.valid).toBe(true);
  });
});

describe('file access', () => {
  it('refuses files the user did not choose, outside the app’s projects folder', async () => {
    const reply = await h.handlers.invoke(TRUSTED, 'openProject', [
      path.join(h.tmp, 'private.netwright.json'),
    ]);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const write = await h.handlers.invoke(TRUSTED, 'saveProject', [
      path.join(h.tmp, 'elsewhere/new.netwright.json'),
      project,
    ]);
    expect(write).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await expect(fs.access(path.join(h.tmp, 'elsewhere/new.netwright.json'))).rejects.toThrow();
    expect(await h.handlers.invoke(TRUSTED, 'openProject', ['../private.netwright.json'])).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('allows a file chosen in the open dialog, and its folder, and tracks the title and dirty state', async () => {
    h.nextDialogPath.value = path.join(h.tmp, 'elsewhere/chosen.netwright.json');
    const chosen = (await h.call('host.openDialog')) as string;
    expect(chosen).toBe(await fs.realpath(path.join(h.tmp, 'elsewhere/chosen.netwright.json')));
    const opened = (await h.call('openProject', [chosen])) as { name: string };
    expect(opened.name).toBe('Iris MLP');
    expect(h.handlers.document()).toEqual({ path: chosen, name: 'Iris MLP', dirty: false });
    // An edit: the renderer autosaves to the recovery file → unsaved changes.
    await h.call('saveRecovery', [opened, chosen]);
    expect(h.handlers.document().dirty).toBe(true);
    // Saving beside it (the project's own folder) is allowed and clears the dirty marker.
    const beside = path.join(path.dirname(chosen), 'copy.netwright.json');
    await h.call('saveProject', [beside, { ...opened, name: 'Copy' }]);
    expect(h.handlers.document()).toEqual({ path: beside, name: 'Copy', dirty: false });
    expect(JSON.parse(await fs.readFile(beside, 'utf8')).name).toBe('Copy');
  });

  it('returns null when a dialog is cancelled, and allows a dialog-chosen export folder', async () => {
    h.nextDialogPath.value = null;
    expect(await h.call('host.saveDialog', ['x.netwright.json'])).toBeNull();
    h.nextDialogPath.value = path.join(h.tmp, 'exports/model.onnx');
    expect(await h.call('host.exportDialog', ['onnx', 'model.onnx'])).toBe(
      path.join(await fs.realpath(h.tmp), 'exports/model.onnx'),
    );
  });

  it('keeps relative paths inside the app’s projects folder and lists its projects', async () => {
    await h.call('saveProject', ['mine.netwright.json', project]);
    await expect(fs.access(path.join(h.workspace, 'mine.netwright.json'))).resolves.toBeUndefined();
    const listed = (await h.call('listProjects')) as string[];
    expect(listed).toContain(path.join(h.workspace, 'mine.netwright.json'));
  });

  it('the file picker lists the projects folder and chosen folders, never a folder the user did not open', async () => {
    await fs.writeFile(path.join(h.workspace, 'table.csv'), 'a,b\n1,2\n');
    const home = (await h.call('listFolder', [{}])) as {
      folder: string;
      entries: { name: string; kind: string }[];
    };
    expect(home.folder).toBe(h.workspace);
    expect(home.entries).toContainEqual(expect.objectContaining({ name: 'table.csv', kind: 'csv' }));
    expect(await h.handlers.invoke(TRUSTED, 'listFolder', [{ folder: h.tmp }])).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const chosen = await fs.realpath(path.join(h.tmp, 'elsewhere'));
    const listing = (await h.call('listFolder', [{ folder: chosen }])) as { entries: { name: string }[] };
    expect(listing.entries.map((e) => e.name)).toContain('chosen.netwright.json');
  });

  it('refuses a document path the renderer was not given', async () => {
    const reply = await h.handlers.invoke(TRUSTED, 'host.setDocument', [
      { path: '/etc/passwd', dirty: false },
    ]);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
