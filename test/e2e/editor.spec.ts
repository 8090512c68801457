// The editor through real mouse and keyboard input: building a network from the palette, live
// shapes, refused connections, shape errors and undo, and a save → reload round trip.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  test,
  expect,
  artifact,
  connect,
  dropLayer,
  openTemplate,
  projectInPage,
  selectNode,
  setParam,
} from './support/fixtures.ts';

test('build Input → Dense → Dense → Output from the palette and see the shapes', async ({ app: page }) => {
  await openTemplate(page, 'blank');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);

  // Two columns, so error badges on unconnected nodes never cover a neighbour's handle.
  await dropLayer(page, 'Input', 220, 50);
  await dropLayer(page, 'Dense', 220, 250);
  await dropLayer(page, 'Dense', 520, 50);
  await dropLayer(page, 'Output', 520, 250);
  for (const id of ['input1', 'dense1', 'dense2', 'output1'])
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();

  // Unconnected, the Dense layers have no input and say so.
  await expect(page.getByTestId('node-error-dense1')).toContainText('no input');

  await connect(page, 'input1', 'dense1');
  await connect(page, 'dense1', 'dense2');
  await connect(page, 'dense2', 'output1');
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);

  await selectNode(page, 'input1');
  await setParam(page, 'shape', '4');
  await selectNode(page, 'dense2');
  await setParam(page, 'units', '3');
  await page.getByTestId('inspector').getByTestId('param-activation').selectOption('softmax');

  await expect(page.getByTestId('node-shape-input1')).toHaveText('[?, 4]');
  await expect(page.getByTestId('node-shape-dense1')).toHaveText('[?, 16]');
  await expect(page.getByTestId('node-shape-dense2')).toHaveText('[?, 3]');
  await expect(page.getByTestId('node-shape-output1')).toHaveText('[?, 3]');
  // Edges carry the shape that flows along them.
  await expect(page.locator('[data-testid^="edge-shape-"]')).toHaveText(['[?, 4]', '[?, 16]', '[?, 3]']);
  await expect(page.locator('[data-testid^="node-error-"]')).toHaveCount(0);
  // 4·16+16 + 16·3+3 = 131 parameters, shown on the status bar.
  await expect(page.getByTestId('total-params')).toHaveText('131 parameters');
  await expect(page.getByTestId('graph-validity')).toContainText('Valid');

  // A second edge into a single-input port is refused at drop time, with the reason.
  await connect(page, 'input1', 'dense2');
  await expect(page.getByTestId('notice')).toContainText('single input');
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  // So is a cycle.
  await connect(page, 'dense2', 'dense1');
  await expect(page.getByTestId('notice')).toContainText(/cycle|single input/);
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);

  await page.getByTestId('layout-button').click();
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  await page.locator('.canvas').screenshot({ path: artifact('canvas.png') });

  // Zoomed far out, edge labels (a few pixels high) are left out; nodes keep their shapes.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('-');
    await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  }
  await expect(page.locator('[data-testid^="edge-shape-"]')).toHaveCount(0);
  await expect(page.getByTestId('node-shape-dense2')).toHaveText('[?, 3]');
  // The edges themselves are still drawn (zoomed out they are laid out differently, styles.css):
  // the canvas looks different with them hidden.
  await expect(page.locator('.canvas.is-zoomed-out')).toHaveCount(1);
  const withEdges = await page.locator('.react-flow').screenshot();
  const hide = await page.addStyleTag({ content: '.react-flow__edges { visibility: hidden; }' });
  expect(withEdges.equals(await page.locator('.react-flow').screenshot())).toBe(false);
  await hide.evaluate((el) => el.parentNode?.removeChild(el));
  await page.keyboard.press('f');
  await expect(page.locator('[data-testid^="edge-shape-"]')).toHaveCount(3);
});

test('a shape error shows a badge on the node, and undo removes it', async ({ app: page }) => {
  await openTemplate(page, 'mnist-cnn');
  await expect(page.getByTestId('node-shape-conv1')).toHaveText('[?, 26, 26, 32]');
  await expect(page.locator('[data-testid^="node-error-"]')).toHaveCount(0);
  // Parameter counts read as words, compact when large: 3·3·1·32+32 and 5·5·64·128+128.
  await expect(page.getByTestId('node-conv1')).toContainText('320 params');
  await expect(page.getByTestId('node-dense')).toContainText('205k params');

  await selectNode(page, 'conv1');
  await setParam(page, 'kernelSize', '40');
  await expect(page.getByTestId('node-error-conv1')).toBeVisible();
  await expect(page.getByTestId('node-error-conv1')).toContainText('40');
  // The error takes the place of the shape row: the node keeps its size and covers no neighbour.
  await expect(page.getByTestId('node-shape-conv1')).toHaveCount(0);
  const conv = (await page.getByTestId('node-conv1').boundingBox())!;
  const below = (await page.getByTestId('node-pool1').boundingBox())!;
  expect(conv.y + conv.height).toBeLessThanOrEqual(below.y);
  await expect(page.getByTestId('graph-validity')).toContainText('problem');
  // Frame the broken node and its neighbours (F fits the selection), then take the picture.
  await selectNode(page, 'conv1');
  await page.keyboard.press('f');
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  await page.locator('.canvas').screenshot({ path: artifact('canvas-shape-error.png') });

  // Undo with the keyboard (focus on the canvas, not in a field; below the group bar at the top left).
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 90 } });
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByTestId('node-error-conv1')).toHaveCount(0);
  await expect(page.getByTestId('node-shape-conv1')).toHaveText('[?, 26, 26, 32]');
  // Redo brings it back, undo button removes it again.
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(page.getByTestId('node-error-conv1')).toBeVisible();
  await page.getByTestId('undo-button').click();
  await expect(page.getByTestId('node-error-conv1')).toHaveCount(0);
});

test('undo and redo cover add, connect, delete, paste and layout', async ({ app: page }) => {
  await openTemplate(page, 'iris-mlp');
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(4);
  const graph = async () => (await projectInPage(page)).graph;
  const states = [await graph()];

  await dropLayer(page, 'Dropout', 600, 200); // add
  await expect(nodes).toHaveCount(5);
  states.push(await graph());
  await connect(page, 'd1', 'dropout1'); // connect
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  states.push(await graph());
  await selectNode(page, 'd1');
  await page.keyboard.press('ControlOrMeta+c');
  await page.keyboard.press('ControlOrMeta+v'); // paste
  await expect(nodes).toHaveCount(6);
  await expect(page.getByTestId('node-dense1')).toBeVisible();
  states.push(await graph());
  await page.keyboard.press('Delete'); // delete
  await expect(nodes).toHaveCount(5);
  states.push(await graph());
  await page.getByTestId('layout-button').click(); // layout
  await expect.poll(graph).not.toEqual(states[states.length - 1]);
  states.push(await graph());
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });

  // Ctrl/Cmd+Z walks back through every state, Ctrl/Cmd+Shift+Z forward again.
  for (let i = states.length - 2; i >= 0; i--) {
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(graph).toEqual(states[i]);
  }
  await expect(page.getByTestId('undo-button')).toBeDisabled();
  for (let i = 1; i < states.length; i++) {
    await page.keyboard.press('ControlOrMeta+Shift+z');
    await expect.poll(graph).toEqual(states[i]);
  }
  await expect(page.getByTestId('redo-button')).toBeDisabled();
});

test('save, reload and get the identical graph back', async ({ app: page, served }) => {
  await openTemplate(page, 'iris-mlp');
  // Make it ours: change a param and move a node.
  await selectNode(page, 'd1');
  await setParam(page, 'units', '24');
  const node = page.getByTestId('node-d2').locator('.layer-node__head');
  const b = (await node.boundingBox())!;
  await page.mouse.move(b.x + 20, b.y + 8);
  await page.mouse.down();
  await page.mouse.move(b.x + 140, b.y + 40, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('dirty-marker')).toHaveText('●');
  await expect(page).toHaveTitle(/^● /);

  await page.keyboard.press('ControlOrMeta+s');
  await page.getByTestId('save-as-path').fill('roundtrip');
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText('roundtrip.netwright.json');
  await expect(page.getByTestId('dirty-marker')).toHaveText('');
  const before = await projectInPage(page);
  const onDisk = JSON.parse(readFileSync(path.join(served.root, 'roundtrip.netwright.json'), 'utf8'));
  expect(onDisk.graph).toEqual(before.graph);
  expect(onDisk.description).toBeTruthy(); // unknown top-level keys survive

  await page.reload();
  await page.getByTestId('open-button').click();
  await page.getByTestId('open-file-roundtrip.netwright.json').click();
  await expect(page.getByTestId('project-path')).toHaveText('roundtrip.netwright.json');
  const after = await projectInPage(page);
  expect(after.graph).toEqual(before.graph);
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 24]');
  await expect(page.getByTestId('dirty-marker')).toHaveText('');
});

test('keyboard: shortcut help, theme toggle and palette entries reachable without a mouse', async ({
  app: page,
}) => {
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcut-help')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcut-help')).toHaveCount(0);
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  await page.keyboard.press('t');
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(theme);
  await page.getByTestId('palette-search').fill('lstm');
  await expect(page.getByTestId('palette-Dense')).toHaveCount(0);
  await page.getByTestId('palette-LSTM').focus();
  const before = await page.locator('.react-flow__node').count();
  await page.keyboard.press('Enter');
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
});

test('autosave: after a crash-like reload, the unsaved edit is offered back and restored', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await selectNode(page, 'd1');
  await setParam(page, 'units', '37');
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 37]');
  // Autosave runs after 3 s without edits; the dirty marker says when the edit is kept for recovery.
  await expect(page.getByTestId('dirty-marker')).toHaveAttribute('data-autosaved', 'yes', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('dirty-marker')).toHaveAttribute(
    'title',
    'Unsaved changes, kept for recovery',
  );
  await page.reload();
  await page.getByTestId('recovery-restore').click();
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 37]');
  await expect(page.getByTestId('dirty-marker')).toHaveText('●');
});

test('data panel previews the dataset with its class balance', async ({ app: page }) => {
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('data-preview').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByLabel('Class balance')).toContainText('setosa');
});

test('data panel shows sample images of an image dataset, drawn from the preview pixels', async ({
  app: page,
}) => {
  await openTemplate(page, 'mnist-cnn');
  await page.getByTestId('tab-data').click();
  const thumbs = page.getByTestId('data-thumbnails');
  await expect(thumbs.locator('canvas')).toHaveCount(18, { timeout: 30_000 });
  await expect(thumbs.locator('figcaption').first()).toHaveText(/^\d$/);
  // Each canvas holds a digit: some pixels bright, most dark.
  const brightShares = await thumbs.locator('canvas').evaluateAll((els) =>
    els.map((el) => {
      const c = el as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let bright = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 128) bright++;
      return bright / (d.length / 4);
    }),
  );
  for (const share of brightShares) {
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.5);
  }
  await page.locator('.dock').screenshot({ path: artifact('data-thumbnails.png') });
});

test('a template chosen right after launch is kept: the start-up project does not replace it', async ({
  page,
  served,
}) => {
  await page.goto(served.url);
  // Straight away, before the app's own start-up project (Iris) may have landed.
  await page.getByTestId('new-button').click();
  await page.getByTestId('template-blank').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('backend-badge')).not.toHaveText('…');
  // The start-up sequence ends with the recovery check: by then the start-up project has had its chance.
  await expect(page.locator('.app')).toHaveAttribute('data-recovery-checked', 'yes');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('a template or another project never silently replaces unsaved work', async ({ app: page }) => {
  await openTemplate(page, 'iris-mlp');
  await page.keyboard.press('ControlOrMeta+s');
  await page.getByTestId('save-as-path').fill('kept');
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('dirty-marker')).toHaveText('');
  await selectNode(page, 'd1');
  await setParam(page, 'units', '29');
  await expect(page.getByTestId('dirty-marker')).toHaveText('●');

  // New → a template: the app asks, and "Keep editing" keeps everything, undo history included.
  await page.getByTestId('new-button').click();
  await page.getByTestId('template-mnist-cnn').click();
  await expect(page.getByTestId('confirm-discard')).toContainText('unsaved changes');
  await expect(page.getByTestId('confirm-discard-keep')).toBeFocused();
  await page.getByTestId('confirm-discard-keep').click();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 29]');
  await expect(page.getByTestId('undo-button')).toBeEnabled();

  // The same through File › Open (the saved file, without the edit).
  await page.getByTestId('open-button').click();
  await page.getByTestId('open-file-kept.netwright.json').click();
  await expect(page.getByTestId('confirm-discard')).toBeVisible();
  await page.getByTestId('confirm-discard-keep').click();
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 29]');

  // Choosing to discard opens it.
  await page.getByTestId('open-file-kept.netwright.json').click();
  await page.getByTestId('confirm-discard-yes').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 16]');
  await expect(page.getByTestId('dirty-marker')).toHaveText('');
});

test('a half-typed number is never applied, and undo covers the name and training settings', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await selectNode(page, 'd1');
  const units = page.getByTestId('inspector').getByTestId('param-units');
  await units.click();
  await units.press('ControlOrMeta+a');
  await units.pressSequentially('1e');
  await expect(units).toHaveAttribute('aria-invalid', 'true');
  await units.press('Tab');
  // Leaving the field puts back what the model uses; field, node and status bar agree.
  await expect(units).toHaveValue('16');
  await expect(units).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('notice')).toContainText('Units stays 16');
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 16]');
  await expect(page.getByTestId('graph-validity')).toContainText('Valid');

  await page.getByTestId('project-name').fill('Renamed iris');
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.getByTestId('undo-button').click();
  await expect(page.getByTestId('project-name')).toHaveValue('Iris MLP');
  await page.getByTestId('redo-button').click();
  await expect(page.getByTestId('project-name')).toHaveValue('Renamed iris');
});
