// The renderer as the desktop app runs it: window.netwright present, native dialogs, menu commands,
// files opened from the OS, the launch file and the window title/dirty marker (electron/channels.ts).
// The real Electron preload cannot exist here (the electron package has no binary in this
// environment), so an init script installs a stand-in bridge with the same shape: engine calls go to
// the real `netwright serve` HTTP API (token from the URL) and its WebSocket events; host.* calls are
// answered like a user picking the file the test named, and recorded; the test pushes menu commands
// and open-file events as the main process would. Paths are workspace-relative because the HTTP
// server confines them to its --root (Electron's dialogs would give absolute paths).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, REPO, projectInPage, selectNode } from './support/fixtures.ts';

interface HostCall {
  method: string;
  args: unknown[];
}

function installFakeBridge(initialFile: string): void {
  const token = new URL(location.href).searchParams.get('token') ?? '';
  const w = window as unknown as Record<string, unknown>;
  const calls: HostCall[] = [];
  const answers: Record<string, string | null> = {};
  const listeners = new Set<(e: unknown) => void>();
  w.__hostCalls = calls;
  w.__dialogAnswers = answers;
  w.__pushHostEvent = (e: unknown) => listeners.forEach((l) => l(e));
  const socket = new WebSocket(
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events?token=${token}`,
  );
  socket.onmessage = (m) => listeners.forEach((l) => l(JSON.parse(String(m.data))));
  w.netwright = {
    host: 'electron',
    async invoke(method: string, args: unknown[] = []) {
      if (method.startsWith('host.')) {
        calls.push({ method, args });
        if (method === 'host.initialFile') return initialFile;
        if (method === 'host.setDocument') return null;
        return answers[method] ?? null;
      }
      const r = await fetch(`/api/call/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ args }),
      });
      const body = (await r.json()) as { result?: unknown; error?: unknown };
      // Like the preload: reject with an Error whose message is JSON of EngineErrorData.
      if (!r.ok || body.error) throw new Error(JSON.stringify(body.error));
      return body.result;
    },
    onEvent(cb: (e: unknown) => void) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}

const hostCalls = (page: Page) =>
  page.evaluate(() => (window as unknown as { __hostCalls: HostCall[] }).__hostCalls);
const answerDialog = (page: Page, method: string, file: string) =>
  page.evaluate(
    ([m, f]) => ((window as unknown as { __dialogAnswers: Record<string, string> }).__dialogAnswers[m] = f),
    [method, file],
  );
const push = (page: Page, event: unknown) =>
  page.evaluate(
    (e) => (window as unknown as { __pushHostEvent(e: unknown): void }).__pushHostEvent(e),
    event,
  );

test('desktop host: launch file, dialogs, menu commands, open-file, title/dirty and export', async ({
  page,
  served,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const example = JSON.parse(
    readFileSync(path.join(REPO, 'resources/examples/iris-mlp.netwright.json'), 'utf8'),
  ) as { name: string };
  for (const [file, name] of [
    ['launch.netwright.json', 'Launch project'],
    ['picked.netwright.json', 'Picked project'],
    ['other.netwright.json', 'Other project'],
  ])
    writeFileSync(path.join(served.root, file), JSON.stringify({ ...example, name }));

  await page.addInitScript(installFakeBridge, 'launch.netwright.json');
  await page.goto(served.url);

  // The launch file (host.initialFile) is opened, and the host hears its name, clean.
  await expect.poll(async () => (await projectInPage(page)).name, { timeout: 30_000 }).toBe('Launch project');
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await expect
    .poll(async () => (await hostCalls(page)).filter((c) => c.method === 'host.setDocument').at(-1)?.args[0])
    .toMatchObject({ name: 'Launch project', dirty: false, path: 'launch.netwright.json' });

  // An edit: setDocument gets dirty: true; the menu's 'undo' undoes it. Edit once the opened project
  // has been laid out and fitted (that step resets undo and the saved mark).
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  await selectNode(page, 'd2');
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect
    .poll(async () => (await hostCalls(page)).filter((c) => c.method === 'host.setDocument').at(-1)?.args[0])
    .toMatchObject({ name: 'Launch project', dirty: true });
  await push(page, { kind: 'menu', command: 'undo' });
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  await expect(page.getByTestId('node-d2')).toBeVisible();

  // File › Save As from the menu: the native save dialog decides where the file goes.
  await answerDialog(page, 'host.saveDialog', 'copy.netwright.json');
  await push(page, { kind: 'menu', command: 'saveAs' });
  const copy = path.join(served.root, 'copy.netwright.json');
  await expect.poll(() => existsSync(copy)).toBe(true);
  const saved = JSON.parse(readFileSync(copy, 'utf8')) as { name: string; graph: { nodes: unknown[] } };
  expect(saved.name).toBe('Launch project');
  expect(saved.graph.nodes).toHaveLength(4);
  const saveCall = (await hostCalls(page)).find((c) => c.method === 'host.saveDialog');
  expect(saveCall?.args).toEqual(['launch.netwright.json']);
  await expect
    .poll(async () => (await hostCalls(page)).filter((c) => c.method === 'host.setDocument').at(-1)?.args[0])
    .toMatchObject({ path: 'copy.netwright.json', dirty: false });

  // Open (toolbar button): the native open dialog, no typed-path dialog.
  await answerDialog(page, 'host.openDialog', 'picked.netwright.json');
  await page.getByTestId('open-button').click();
  await expect.poll(async () => (await projectInPage(page)).name).toBe('Picked project');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect((await hostCalls(page)).some((c) => c.method === 'host.openDialog')).toBe(true);

  // A file opened from the OS while there are unsaved edits: asked first, then opened.
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  await selectNode(page, 'd1');
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.accept();
  });
  await push(page, { kind: 'open-file', path: 'other.netwright.json' });
  await expect.poll(async () => (await projectInPage(page)).name).toBe('Other project');
  expect(asked[0]).toContain('unsaved changes');
  await expect(page.locator('.react-flow__node')).toHaveCount(4);

  // File › Export ONNX from the menu: the export dialog's file is written and checked for parity.
  await answerDialog(page, 'host.exportDialog', 'exported/model.onnx');
  await push(page, { kind: 'menu', command: 'exportOnnx' });
  await expect(page.getByTestId('export-parity')).toContainText('Parity passed', { timeout: 60_000 });
  expect(existsSync(path.join(served.root, 'exported/model.onnx'))).toBe(true);
  const exportCall = (await hostCalls(page)).find((c) => c.method === 'host.exportDialog');
  expect(exportCall?.args).toEqual(['onnx', 'other-project.onnx']);
  // The desktop export panel asks with the dialog; there is no typed path field.
  await expect(page.getByTestId('export-onnx-path')).toHaveCount(0);

  expect(errors, 'uncaught errors in the page').toEqual([]);
});
