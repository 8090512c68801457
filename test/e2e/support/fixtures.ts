// Test fixtures: a real `netwright serve --port 0 --root <temp dir>` per worker (its printed URL is
// parsed, token included), and helpers that drive the editor with real mouse and keyboard input.
import { test as base, expect, type Page, type Locator } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../../..');
export const ARTIFACTS = path.join(REPO, 'test/artifacts');

export interface Served {
  url: string;
  root: string;
  /** The server's NETWRIGHT_HOME (recovery autosaves). */
  home: string;
}

async function startServe(root: string, home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [path.join(REPO, 'bin/netwright.mjs'), 'serve', '--port', '0', '--root', root],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Recovery autosaves go to a per-worker folder, not the user's ~/.netwright.
      env: { ...process.env, NETWRIGHT_HOME: home },
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`netwright serve printed no URL within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Netwright is running at (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`netwright serve exited with ${code}:\n${output}`));
    });
  });
  return { url, child };
}

export const test = base.extend<{ app: Page }, { served: Served }>({
  served: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'netwright-e2e-'));
      const home = mkdtempSync(path.join(os.tmpdir(), 'netwright-e2e-home-'));
      const { url, child } = await startServe(root, home);
      await use({ url, root, home });
      child.kill('SIGTERM');
      rmSync(root, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  app: async ({ page, served }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Each test starts with no recovery autosave and no saved blocks: left by an earlier test in this
    // worker, they would show on this test's screen (a recovery banner, a "My blocks" section).
    rmSync(path.join(served.home, 'recovery'), { recursive: true, force: true });
    rmSync(path.join(served.home, 'recovery.netwright.json'), { force: true });
    rmSync(path.join(served.root, '.netwright', 'blocks'), { recursive: true, force: true });
    await page.goto(served.url);
    await expect(page.getByTestId('backend-badge')).not.toHaveText('…');
    // The app opens the Iris template on start and closes any dialog when it lands: wait for it, so
    // a test's own "New" click is not undone by the start-up load.
    await expect(page.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
    await use(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** The editor store, read from the page (for comparing whole graphs). */
export async function projectInPage(
  page: Page,
): Promise<{ graph: { nodes: unknown[]; edges: unknown[] }; name: string }> {
  return page.evaluate(() => {
    const hook = (window as unknown as { __netwright: { editor: { getState(): { toProject(): unknown } } } })
      .__netwright;
    return hook.editor.getState().toProject() as {
      graph: { nodes: unknown[]; edges: unknown[] };
      name: string;
    };
  });
}

/** New → template. Over unsaved work the app asks first; this answers "discard", as a user opening it would. */
export async function openTemplate(page: Page, id: string): Promise<void> {
  await page.getByTestId('new-button').click();
  await page.getByTestId(id === 'blank' ? 'template-blank' : `template-${id}`).click();
  const confirm = page.getByTestId('confirm-discard-yes');
  // The prompt is rendered in the click's own event (a discrete React update), so it is there now or never.
  if (await confirm.isVisible()) await confirm.click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/** Drag a palette entry onto the canvas at (x, y) relative to the canvas pane, with the mouse. */
export async function dropLayer(page: Page, type: string, x: number, y: number): Promise<void> {
  const pane = page.locator('.react-flow__pane');
  const box = (await pane.boundingBox())!;
  await page.getByTestId(`palette-${type}`).dragTo(pane, { targetPosition: { x, y } });
  void box;
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const b = (await locator.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/**
 * Drag from a node's output to another's input handle: the named `port`, or else its last input
 * handle (the only one, or a merge's free port).
 */
export async function connect(page: Page, from: string, to: string, port?: string): Promise<void> {
  const a = await centre(page.getByTestId(`node-${from}`).locator('.react-flow__handle.source'));
  const b = await centre(
    port
      ? page.getByTestId(`handle-${to}-${port}`)
      : page.getByTestId(`node-${to}`).locator('.react-flow__handle.target').last(),
  );
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

/** Select a node by clicking its header. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.layer-node__head').click();
  await expect(page.getByTestId('inspector')).toContainText(id);
}

/** Type a new value into an inspector field, as a user would (select all, type). */
export async function setParam(page: Page, name: string, value: string): Promise<void> {
  const field = page.getByTestId('inspector').getByTestId(`param-${name}`);
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.pressSequentially(value);
  await field.press('Tab');
}
