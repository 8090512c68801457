// Editor features beyond the basics, through real mouse and keyboard input: multi-select, box-select,
// delete and duplicate; inspector validation and help; recent files; a CSV in the data panel; speed,
// ETA, backend reason and the Runs tab of a training run; tfjs export and the ONNX pre-flight refusal.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  test,
  expect,
  artifact,
  dropLayer,
  openTemplate,
  projectInPage,
  selectNode,
  setParam,
} from './support/fixtures.ts';

interface GraphNode {
  id: string;
  type: string;
  params: Record<string, unknown>;
}
interface GraphEdge {
  id: string;
  source: string;
  target: string;
}
async function graphOf(page: Page): Promise<{ nodes: GraphNode[]; edges: GraphEdge[] }> {
  return (await projectInPage(page)).graph as { nodes: GraphNode[]; edges: GraphEdge[] };
}
const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();
const head = (page: Page, id: string) => page.getByTestId(`node-${id}`).locator('.layer-node__head');

async function saveAs(page: Page, name: string): Promise<void> {
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill(name);
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText(name);
}

test('shift-click and shift-drag select several nodes; Delete removes exactly them and their edges; Ctrl+D duplicates', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  const start = await graphOf(page);
  expect(ids(start.nodes)).toEqual(['d1', 'd2', 'in', 'out']);

  // Shift-click adds to the selection.
  await head(page, 'in').click();
  await head(page, 'd1').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('inspector')).toContainText('2 nodes selected');
  await page.keyboard.press('Delete');
  let g = await graphOf(page);
  expect(ids(g.nodes)).toEqual(['d2', 'out']);
  expect(g.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['d2->out']);
  await page.keyboard.press('ControlOrMeta+z');
  await expect.poll(async () => (await graphOf(page)).nodes.length).toBe(4);

  // Shift-drag on the empty canvas draws a selection box around d2 and out only.
  const a = (await page.getByTestId('node-d2').boundingBox())!;
  const b = (await page.getByTestId('node-out').boundingBox())!;
  const others = [
    (await page.getByTestId('node-in').boundingBox())!,
    (await page.getByTestId('node-d1').boundingBox())!,
  ];
  const box = {
    x0: Math.min(a.x, b.x) - 12,
    y0: Math.min(a.y, b.y) - 12,
    x1: Math.max(a.x + a.width, b.x + b.width) + 12,
    y1: Math.max(a.y + a.height, b.y + b.height) + 12,
  };
  // The box must contain no part of the other nodes (else this test would not show what it claims).
  for (const o of others)
    expect(o.x > box.x1 || o.x + o.width < box.x0 || o.y > box.y1 || o.y + o.height < box.y0).toBe(true);
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, { steps: 4 });
  await page.mouse.move(box.x0, box.y0, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('inspector')).toContainText('2 nodes selected');
  await page.keyboard.press('Delete');
  g = await graphOf(page);
  expect(ids(g.nodes)).toEqual(['d1', 'in']);
  expect(g.edges.map((e) => `${e.source}->${e.target}`)).toEqual(['in->d1']);

  // Duplicate: a copy with a new id and the same params.
  await selectNode(page, 'd1');
  await setParam(page, 'units', '23');
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await head(page, 'd1').click();
  await page.keyboard.press('ControlOrMeta+d');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  g = await graphOf(page);
  const copy = g.nodes.find((n) => !['d1', 'in'].includes(n.id))!;
  expect(copy.type).toBe('Dense');
  expect(copy.params).toEqual(g.nodes.find((n) => n.id === 'd1')!.params);
  expect(copy.params.units).toBe(23);
  // The copy is on the canvas and is the new selection.
  await expect(page.getByTestId(`node-${copy.id}`)).toHaveClass(/is-selected/);
  await expect(page.getByTestId('node-d1')).not.toHaveClass(/is-selected/);
});

test('inspector: out-of-range values show the inline message; a valid change flows downstream; help shows equations', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 16]');
  const before = await graphOf(page);
  await selectNode(page, 'd1');
  const inspector = page.getByTestId('inspector');

  await setParam(page, 'units', '0');
  await expect(inspector.getByRole('alert')).toContainText(/units|Units/);
  await expect(inspector.getByTestId('param-units')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('node-error-d1')).toBeVisible();
  // The graph keeps its nodes and edges, and the other nodes their params.
  let g = await graphOf(page);
  expect(ids(g.nodes)).toEqual(ids(before.nodes));
  expect(g.edges).toEqual(before.edges);
  expect(g.nodes.find((n) => n.id === 'd2')!.params).toEqual(before.nodes.find((n) => n.id === 'd2')!.params);

  // A valid value: the node's shape text and the edge leaving it follow at once.
  await setParam(page, 'units', '12');
  await expect(inspector.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('node-error-d1')).toHaveCount(0);
  await expect(page.getByTestId('node-shape-d1')).toHaveText('[?, 12]');
  const e2 = before.edges.find((e) => e.source === 'd1')!;
  await expect(page.getByTestId(`edge-shape-${e2.id}`)).toHaveText('[?, 12]');
  g = await graphOf(page);
  expect(g.nodes.find((n) => n.id === 'd1')!.params.units).toBe(12);

  await expect(inspector.getByLabel('Equation')).toContainText('y = f(W·x + b)');

  // Dropout rate 1.5 is refused inline too.
  await dropLayer(page, 'Dropout', 500, 60);
  await selectNode(page, 'dropout1');
  await setParam(page, 'rate', '1.5');
  await expect(inspector.getByRole('alert')).toContainText(/rate|Rate/);
  await expect(page.getByTestId('node-error-dropout1')).toBeVisible();
  await setParam(page, 'rate', '0.25');
  await expect(inspector.getByRole('alert')).toHaveCount(0);

  // LSTM help lists its gates.
  await dropLayer(page, 'LSTM', 500, 260);
  await selectNode(page, 'lstm1');
  const eq = inspector.getByLabel('Equation');
  for (const gate of ['i_t = σ(', 'f_t = σ(', 'o_t = σ(', 'c_t = f_t ⊙ c_{t−1}'])
    await expect(eq).toContainText(gate);
});

test('recent files list the last two projects, most recent first, and open them', async ({ app: page }) => {
  await page.evaluate(() => localStorage.removeItem('netwright.recent'));
  await openTemplate(page, 'iris-mlp');
  await saveAs(page, 'first.netwright.json');
  await openTemplate(page, 'mnist-cnn');
  await saveAs(page, 'second.netwright.json');

  await page.getByTestId('open-button').click();
  const recent = page.getByTestId('recent-list').getByRole('button');
  await expect(recent).toHaveText(['second.netwright.json', 'first.netwright.json']);
  await page.getByTestId('recent-file-first.netwright.json').click();
  await expect(page.getByTestId('project-path')).toHaveText('first.netwright.json');
  await expect(page.getByTestId('node-d1')).toBeVisible();
  await expect(page.getByTestId('node-conv1')).toHaveCount(0);

  // Opening it made it the most recent; the list survives a reload.
  await page.reload();
  await page.getByTestId('open-button').click();
  await expect(page.getByTestId('recent-list').getByRole('button')).toHaveText([
    'first.netwright.json',
    'second.netwright.json',
  ]);
});

test('data panel: a CSV in the served folder shows rows, takes a target and features, and the split changes the counts', async ({
  app: page,
  served,
}) => {
  const rows = ['size,weight,colour,kind'];
  for (let i = 0; i < 40; i++) rows.push(`${i % 7},${(i * 1.5).toFixed(1)},${i % 3},${i % 2 ? 'a' : 'b'}`);
  writeFileSync(path.join(served.root, 'small.csv'), rows.join('\n') + '\n');

  await openTemplate(page, 'blank');
  await page.getByTestId('tab-data').click();
  const sourceField = page.getByTestId('data-source');
  await sourceField.fill('csv:small.csv');
  await sourceField.press('Enter');
  const table = page.getByTestId('data-preview');
  await expect(table.locator('tbody tr')).toHaveCount(20); // the engine's preview: the first 20 rows
  await expect(page.locator('.data-panel__table')).toContainText('40 samples · 4 columns');
  await expect(table.locator('tbody tr').first()).toContainText('0');
  await expect(table.locator('thead')).toContainText('weight');

  await page.getByTestId('data-target').selectOption('kind');
  await expect(table.locator('th.is-target')).toContainText('kind (target)');
  await page.getByLabel('Use colour as a feature').uncheck();
  const data = async () =>
    (await page.evaluate(() => {
      const hook = (
        window as unknown as { __netwright: { editor: { getState(): { toProject(): unknown } } } }
      ).__netwright;
      return (hook.editor.getState().toProject() as { data?: Record<string, unknown> }).data;
    }))!;
  await expect
    .poll(data)
    .toMatchObject({ source: 'csv:small.csv', target: 'kind', features: ['size', 'weight'] });

  // 40 rows, 20 per class (the split is stratified): test 0.2 → 4 + 4, validation 0.1 of the rest
  // (the blank project's) → 2 + 2.
  const counts = page.getByTestId('data-split-counts');
  await expect(counts).toHaveText('28 train · 4 validation · 8 test');
  const split = page.getByTestId('data-test-split');
  await split.fill('0.5');
  await expect(counts).toHaveText('18 train · 2 validation · 20 test');
  await page.locator('.dock').screenshot({ path: artifact('data-csv.png') });
});

test('training shows samples/s, ETA and why this backend; the Runs tab lists the run and opens its metrics', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await saveAs(page, 'iris-runs.netwright.json');
  // Enough epochs that the ETA (shown once a rate is measured, gone when the run ends) is on screen
  // for a while even on a quiet machine, where 40 iris epochs finished before it could be seen.
  await page.getByTestId('train-epochs').fill('200');
  await page.getByTestId('train-button').click();
  const progress = page.locator('.train-panel__progress');
  await expect(progress).toContainText(/\d[\d,]* samples\/s · ETA \S+/, { timeout: 60_000 });
  const backendLine = page.getByTestId('train-backend');
  const reason = await page.getByTestId('backend-badge').getAttribute('title');
  const label = await page.getByTestId('backend-badge').textContent();
  expect(reason).toBeTruthy();
  await expect(backendLine).toHaveText(`on ${label} — ${reason}`);
  if (label === 'CPU (WebAssembly)') await expect(backendLine).toContainText('no GPU');
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 90_000,
  });
  await expect(progress).toContainText(/epoch 200\/200 .* samples\/s/);
  await expect(backendLine).toBeVisible();
  await page.locator('.dock').screenshot({ path: artifact('training-backend-reason.png') });
  const accuracy = (await page.getByTestId('train-status').textContent())!.match(/accuracy ([\d.]+%)/)![1];

  await page.getByTestId('tab-runs').click();
  const table = page.getByTestId('runs-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr').first()).toContainText('complete');
  await expect(table.locator('tbody tr').first()).toContainText(accuracy);
  await page.getByTestId('run-open-0').click();
  const opened = page.getByTestId('run-metrics');
  await expect(opened.getByTestId('metric-accuracy')).toContainText(accuracy);
  await expect(opened.getByTestId('confusion-matrix')).toBeVisible();
});

test('export: tfjs says where it wrote; an LSTM with selu is refused by the ONNX pre-flight and nothing is written', async ({
  app: page,
  served,
}) => {
  await openTemplate(page, 'iris-mlp');
  await saveAs(page, 'exp.netwright.json');
  await page.getByTestId('tab-export').click();
  const result = page.getByTestId('export-result');
  await page.getByTestId('export-tfjs-path').fill('iris-web');
  await page.getByTestId('export-tfjs-button').click();
  await expect(result).toContainText('tfjs model written to', { timeout: 60_000 });
  await expect(result).toContainText('iris-web');
  expect(existsSync(path.join(served.root, 'iris-web', 'model.json'))).toBe(true);

  await openTemplate(page, 'sp500-lstm');
  const lstm = (await graphOf(page)).nodes.find((n) => n.type === 'LSTM')!;
  await selectNode(page, lstm.id);
  await page.getByTestId('inspector').getByTestId('param-activation').selectOption('selu');
  await expect(page.locator('[data-testid^="node-error-"]')).toHaveCount(0);
  await page.getByTestId('tab-export').click();
  await page.getByTestId('export-onnx-path').fill('lstm-selu.onnx');
  await page.getByTestId('export-onnx-button').click();
  await expect(result).toContainText('Export failed', { timeout: 60_000 });
  await expect(result).toContainText(lstm.id);
  await expect(result).toContainText('selu');
  expect(existsSync(path.join(served.root, 'lstm-selu.onnx'))).toBe(false);
  await page.locator('.dock').screenshot({ path: artifact('export-preflight.png') });
});

test("Runs: this project's runs only unless asked; two runs ticked are compared by curve and settings", async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await saveAs(page, 'compare-a.netwright.json');
  for (const epochs of ['3', '5']) {
    await page.getByTestId('train-epochs').fill(epochs);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
      timeout: 90_000,
    });
  }
  // Another project saved in the same folder, with a run of its own.
  await saveAs(page, 'compare-b.netwright.json');
  await page.getByTestId('project-name').fill('Project B');
  await page.getByTestId('train-epochs').fill('2');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 90_000,
  });

  await page.getByTestId('tab-runs').click();
  const rows = page.getByTestId('runs-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('runs-show-others').check();
  // Earlier tests of this worker trained in the same workspace folder too.
  await expect(rows.filter({ hasText: 'Project B' })).toHaveCount(1);
  expect(await rows.count()).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('runs-table')).toContainText('macro F1');

  // Back to project A: its two runs, compared.
  await page.getByTestId('open-button').click();
  await page.getByTestId('open-file-compare-a.netwright.json').click();
  await page.getByTestId('confirm-discard-yes').click(); // B's unsaved name and epochs
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('runs-show-others').uncheck();
  await expect(rows).toHaveCount(2);
  await page.getByTestId('run-select-0').check();
  await expect(page.getByTestId('runs-compare')).toHaveCount(0);
  await page.getByTestId('run-select-1').check();
  const compare = page.getByTestId('runs-compare');
  await expect(compare.getByTestId('chart-compare')).toBeVisible();
  const settings = compare.getByTestId('runs-compare-settings').locator('tbody tr');
  await expect(settings).toHaveCount(2);
  await expect(settings.nth(0)).toContainText('5 of 5');
  await expect(settings.nth(1)).toContainText('3 of 3');
  await page.locator('.dock').screenshot({ path: artifact('runs-compare.png') });
});
