// Blocks (#16 item 9), by mouse and keyboard against the real `netwright serve`: select nodes, group
// them into a named block that collapses to one node with its input/output shapes and parameters,
// expand and collapse it in place, undo/redo the grouping, save it to "My blocks" and reuse it in
// another project (and after a reload: the engine keeps it in the workspace's settings folder);
// blocks nest, round-trip through the file, and Layout keeps a block together.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
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

  // Saved with the project: format version 4 and the blocks section.
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill('grouped.netwright.json');
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText('grouped.netwright.json');
  const saved = JSON.parse(readFileSync(path.join(served.root, 'grouped.netwright.json'), 'utf8'));
  expect(saved.version).toBe(4);
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

type Box = { x: number; y: number; width: number; height: number };
const box = async (l: Locator): Promise<Box> => (await l.boundingBox())!;
const within = (a: Box, b: Box) =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
const apart = (a: Box, b: Box) =>
  a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

async function layout(page: Page): Promise<void> {
  const undo = page.getByTestId('undo-button');
  await page.getByTestId('layout-button').click();
  await expect(undo).toHaveAttribute('aria-label', 'Undo Auto layout');
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
}

test('blocks nest, survive Save and Open, and Layout keeps each block together', async ({
  app: page,
  served,
}) => {
  await openTemplate(page, 'iris-mlp');
  await head(page, 'd1').click();
  await head(page, 'd2').click({ modifiers: ['Shift'] });
  await page.getByTestId('group-block-button').click();
  await page.getByTestId('block-name-input').fill('Classifier');
  await page.getByTestId('block-name-ok').click();
  await page.getByTestId('block-expand-block1').click();

  // A block inside the expanded one: its card sits in the outer frame.
  await head(page, 'd2').click();
  await page.getByTestId('group-block-button').click();
  await page.getByTestId('block-name-input').fill('Head');
  await page.getByTestId('block-name-ok').click();
  const outer = page.getByTestId('block-frame-block1');
  const inner = page.getByTestId('block-block2');
  await expect(inner).toBeVisible();
  await expect(page.getByTestId('node-d2')).toHaveCount(0);
  await expect(page.getByTestId('block-out-block2')).toHaveText('[?, 3]');
  await layout(page);
  expect(within(await box(inner), await box(outer))).toBe(true);
  expect(within(await box(page.getByTestId('node-d1')), await box(outer))).toBe(true);
  for (const id of ['in', 'out'])
    expect(apart(await box(page.getByTestId(`node-${id}`)), await box(outer))).toBe(true);
  await shoot(page, 'block-nested');

  // A selection that takes part of a block is refused in one sentence.
  await head(page, 'd1').click();
  await head(page, 'in').click({ modifiers: ['Shift'] });
  await page.getByTestId('group-block-button').click();
  await page.getByTestId('block-name-input').fill('Across');
  await page.getByTestId('block-name-ok').click();
  await expect(page.getByText('The selection holds part of block "Classifier"')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Collapsed, the outer block is one node that Layout places between the Input and the Output.
  await page.getByTestId('block-collapse-block1').click();
  const card = page.getByTestId('block-block1');
  await expect(card).toBeVisible();
  await expect(inner).toHaveCount(0);
  await expect(page.getByTestId('block-params-block1')).toContainText('131');
  await layout(page);
  const [a, b, c] = await Promise.all([
    box(page.getByTestId('node-in')),
    box(card),
    box(page.getByTestId('node-out')),
  ]);
  expect(a.y + a.height).toBeLessThanOrEqual(b.y);
  expect(b.y + b.height).toBeLessThanOrEqual(c.y);

  // A selected card and a node group into a block around both; undo takes that back.
  await card.locator('.block-node__head').click();
  await head(page, 'in').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('group-block-button')).toHaveAttribute(
    'aria-label',
    'Group 3 nodes into a block',
  );
  await page.getByTestId('group-block-button').click();
  await page.getByTestId('block-name-input').fill('Model');
  await page.getByTestId('block-name-ok').click();
  await expect(page.getByTestId('block-block3')).toBeVisible();
  await expect(card).toHaveCount(0);
  expect((await doc(page)).blocks?.find((x) => x.name === 'Model')?.nodes.sort()).toEqual(['d1', 'd2', 'in']);
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('ControlOrMeta+z');
  await expect(card).toBeVisible();

  // The file holds both blocks, the inner one's nodes a part of the outer one's; it opens as saved.
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill('nested.netwright.json');
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText('nested.netwright.json');
  const saved = JSON.parse(readFileSync(path.join(served.root, 'nested.netwright.json'), 'utf8'));
  expect(saved.version).toBe(4);
  expect(saved.blocks).toEqual([
    expect.objectContaining({ id: 'block1', name: 'Classifier', nodes: ['d1', 'd2'], collapsed: true }),
    expect.objectContaining({ id: 'block2', name: 'Head', nodes: ['d2'], collapsed: true }),
  ]);
  await openTemplate(page, 'blank');
  await page.getByTestId('open-button').click();
  await page.getByTestId('open-path').fill('nested.netwright.json');
  await page.getByTestId('open-submit').click();
  await expect(card).toBeVisible();
  expect((await doc(page)).blocks).toEqual(saved.blocks);
  await page.getByTestId('block-expand-block1').click();
  await expect(inner).toBeVisible();
  expect(within(await box(inner), await box(outer))).toBe(true);
});
