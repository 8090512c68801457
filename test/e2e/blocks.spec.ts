// Blocks (#16 item 9), by mouse and keyboard against the real `netwright serve`: select nodes, group
// them into a named block that collapses to one node with its input/output shapes and parameters,
// expand and collapse it in place, undo/redo the grouping, save it to "My blocks" and reuse it in
// another project (and after a reload: the engine keeps it in the workspace's settings folder).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, artifact, openTemplate, projectInPage } from './support/fixtures.ts';

const head = (page: Page, id: string) => page.getByTestId(`node-${id}`).locator('.layer-node__head');
type Doc = {
  graph: { nodes: { id: string; type: string }[]; edges: { source: string; target: string }[] };
  blocks?: { id: string; name: string; nodes: string[]; collapsed?: boolean }[];
};
const doc = async (page: Page) => (await projectInPage(page)) as unknown as Doc;

async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width, height });
    await page.getByRole('button', { name: 'Fit view (F)' }).click();
    await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
    await page.screenshot({ path: artifact(`${name}-${width}x${height}.png`) });
  }
}

test('group into a named block, collapse/expand in place, undo/redo, save to My blocks and reuse it', async ({
  app: page,
  served,
}) => {
  await openTemplate(page, 'iris-mlp');
  const before = await doc(page);

  await head(page, 'd1').click();
  await head(page, 'd2').click({ modifiers: ['Shift'] });
  await page.getByTestId('group-block-button').click();
  await page.getByTestId('block-name-input').fill('Classifier');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: artifact('block-naming-1280x800.png') });
  await page.getByTestId('block-name-ok').click();

  // One node in place of the two, with what enters and leaves it and the parameters inside.
  const card = page.getByTestId('block-block1');
  await expect(card).toBeVisible();
  await expect(page.getByTestId('node-d1')).toHaveCount(0);
  await expect(page.getByTestId('node-d2')).toHaveCount(0);
  await expect(page.getByTestId('block-in-block1')).toHaveText('[?, 4]');
  await expect(page.getByTestId('block-out-block1')).toHaveText('[?, 3]');
  // 4·16+16 + 16·3+3 weights, and the whole graph's count is the same (Input/Output have none).
  await expect(page.getByTestId('block-params-block1')).toContainText('131');
  await expect(page.getByTestId('total-params')).toContainText('131');
  // The edges into and out of the block carry the shapes of the layers they come from.
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);
  let d = await doc(page);
  expect(d.graph).toEqual(before.graph);
  expect(d.blocks).toEqual([
    expect.objectContaining({ id: 'block1', name: 'Classifier', nodes: ['d1', 'd2'], collapsed: true }),
  ]);
  await shoot(page, 'block-collapsed');

  await page.getByTestId('block-expand-block1').click();
  await expect(page.getByTestId('node-d1')).toBeVisible();
  await expect(page.getByTestId('node-d2')).toBeVisible();
  await expect(page.getByTestId('block-frame-block1')).toBeVisible();
  await expect(page.getByTestId('block-block1')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await shoot(page, 'block-expanded');
  await page.getByTestId('block-collapse-block1').click();
  await expect(card).toBeVisible();
  await expect(page.getByTestId('node-d1')).toHaveCount(0);

  // Undo walks back collapse, expand and the grouping itself; redo brings the block back.
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByTestId('block-frame-block1')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(card).toBeVisible();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(card).toHaveCount(0);
  await expect(page.getByTestId('node-d1')).toBeVisible();
  expect((await doc(page)).blocks).toBeUndefined();
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(card).toBeVisible();

  // Saved with the project: format version 3 and the blocks section.
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill('grouped.netwright.json');
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText('grouped.netwright.json');
  const saved = JSON.parse(readFileSync(path.join(served.root, 'grouped.netwright.json'), 'utf8'));
  expect(saved.version).toBe(3);
  expect(saved.blocks).toEqual([expect.objectContaining({ name: 'Classifier', nodes: ['d1', 'd2'] })]);

  // My blocks: saved per user through the engine, offered in every project.
  await page.getByTestId('block-save-block1').click();
  await expect(page.getByTestId('my-block-Classifier')).toBeVisible();
  await openTemplate(page, 'blank');
  await page
    .getByTestId('my-block-Classifier')
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 300, y: 200 } });
  await expect(page.getByTestId('block-block1')).toBeVisible();
  d = await doc(page);
  expect(d.graph.nodes.map((n) => n.type)).toEqual(expect.arrayContaining(['Dense', 'Dense']));
  expect(d.blocks?.[0]).toMatchObject({ name: 'Classifier', collapsed: true });
  expect(d.blocks?.[0].nodes).toEqual(d.graph.nodes.filter((n) => n.type === 'Dense').map((n) => n.id));
  expect(d.graph.edges).toHaveLength(1);
  await shoot(page, 'block-reused');

  await page.reload();
  await expect(page.getByTestId('my-block-Classifier')).toBeVisible();
});
