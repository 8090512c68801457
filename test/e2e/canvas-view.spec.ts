// The canvas view (#16): the selection toolbar sits in the top bar, so it never covers the canvas
// (a node in the canvas's top-left corner, where it used to be, stays clickable), the top bar's Fit fits the whole graph, a smaller window
// refits a graph it would cut, and the Save As hint says what will happen before anything is saved.
import type { Page } from '@playwright/test';
import { test, expect, artifact, openTemplate, selectNode } from './support/fixtures.ts';

const head = (page: Page, id: string) => page.getByTestId(`node-${id}`).locator('.layer-node__head');

/** The node lies wholly inside the canvas. */
async function inView(page: Page, id: string): Promise<boolean> {
  const c = (await page.locator('.react-flow').boundingBox())!;
  const n = (await page.getByTestId(`node-${id}`).boundingBox())!;
  return n.x >= c.x && n.y >= c.y && n.x + n.width <= c.x + c.width && n.y + n.height <= c.y + c.height;
}

test('a node in the top-left corner stays clickable while a selection shows its toolbar', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await selectNode(page, 'd2');
  const bar = page.getByRole('toolbar', { name: 'Selection' });
  const button = page.getByTestId('group-block-button');
  await expect(button).toHaveAttribute('aria-label', 'Group 1 node into a block');
  for (const [width, height] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width, height });
    await page.getByRole('button', { name: 'Fit view (F)' }).click();
    await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
    await page.screenshot({ path: artifact(`selection-toolbar-${width}x${height}.png`) });
  }

  // Pan (dragging the empty pane, the selection stays) until the Input node's head sits where the
  // toolbar used to be: the canvas's top-left corner.
  const canvas = (await page.locator('.react-flow').boundingBox())!;
  const inHead = (await head(page, 'in').boundingBox())!;
  const dx = canvas.x + 60 - (inHead.x + inHead.width / 2);
  const dy = canvas.y + 22 - (inHead.y + inHead.height / 2);
  const from = { x: canvas.x + canvas.width - 40, y: canvas.y + canvas.height / 2 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 8 });
  await page.mouse.up();
  await expect(bar).toBeVisible();

  // The toolbar is in the top bar, above the canvas, not over anything on it.
  const b = (await bar.boundingBox())!;
  expect(b.y + b.height).toBeLessThanOrEqual(canvas.y);

  // A Shift-click on the corner node reaches it (not a toolbar over it): the selection grows.
  const corner = (await head(page, 'in').boundingBox())!;
  expect(corner.x).toBeLessThan(canvas.x + 120);
  expect(corner.y).toBeLessThan(canvas.y + 60);
  await head(page, 'in').click({ modifiers: ['Shift'] });
  await expect(button).toHaveAttribute('aria-label', 'Group 2 nodes into a block');
});

test("the top bar's Fit fits the whole graph, and a smaller window refits a graph it would cut", async ({
  app: page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openTemplate(page, 'mnist-cnn');
  const settled = () => expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  // With one node selected, Fit still brings in both ends of the graph.
  await selectNode(page, 'dense');
  await page.getByRole('button', { name: 'Fit view (F)' }).click();
  await settled();
  await expect.poll(() => inView(page, 'in')).toBe(true);
  await expect.poll(() => inView(page, 'out')).toBe(true);

  await page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(() => inView(page, 'out')).toBe(true);
  await expect.poll(() => inView(page, 'in')).toBe(true);
  await settled();
  await page.screenshot({ path: artifact('fit-after-resize-1280x800.png') });
});

test('the Save As hint says what will happen until the save succeeds', async ({ app: page }) => {
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill('view/iris');
  const hint = page.getByTestId('save-as-hint');
  await expect(hint).toContainText('Will save as view/iris.netwright.json');
  await expect(hint).not.toContainText('Saved as');
  for (const [width, height] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: artifact(`save-as-hint-${width}x${height}.png`) });
  }
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText('view/iris.netwright.json');
});
