// Named ports on the canvas: MultiHeadAttention shows query/key/value handles by name, a merge its
// ordered ports plus a free one; dragging onto a named handle feeds that port (the saved edge says
// so), a second edge on a taken port is refused with the reason, and the graph turns valid once
// query and key are connected.
import type { Page } from '@playwright/test';
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

type Edge = { source: string; target: string; port?: string };

/** Wheel-zoom the canvas in at a node, so the port names are readable in the screenshot. */
async function zoomInOn(page: Page, id: string): Promise<void> {
  const box = (await page.getByTestId(`node-${id}`).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -150);
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
}

test('MultiHeadAttention shows its named ports and an edge feeds the port it was dropped on', async ({
  app: page,
}) => {
  // The Transformer template: attention fed on query and key, residual merges on in0/in1.
  await openTemplate(page, 'sp500-transformer');
  for (const port of ['query', 'key', 'value'])
    await expect(page.getByTestId(`handle-attn-${port}`)).toContainText(port);
  for (const port of ['in0', 'in1', 'in2'])
    await expect(page.getByTestId(`handle-res1-${port}`)).toBeVisible();
  await expect(page.getByTestId('graph-validity')).toContainText('Valid');
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await zoomInOn(page, 'attn');
    await page.screenshot({ path: artifact(`named-ports-template-${w}x${h}.png`) });
  }

  // Build self-attention by hand: one Input on query and key.
  await openTemplate(page, 'blank');
  // Clear of the selection's group bar at the canvas' top left.
  await dropLayer(page, 'Input', 340, 80);
  await dropLayer(page, 'MultiHeadAttention', 480, 200);
  await dropLayer(page, 'Output', 480, 320);
  await selectNode(page, 'input1');
  await setParam(page, 'shape', '6, 4');
  await connect(page, 'input1', 'multiheadattention1', 'key');
  await expect(page.getByTestId('node-error-multiheadattention1')).toContainText('"query"');
  await connect(page, 'input1', 'multiheadattention1', 'query');
  await connect(page, 'multiheadattention1', 'output1');
  await expect(page.getByTestId('node-shape-multiheadattention1')).toHaveText('[?, 6, 4]');
  await expect(page.getByTestId('graph-validity')).toContainText('Valid');
  const edges = (await projectInPage(page)).graph.edges as Edge[];
  expect(edges.filter((e) => e.target === 'multiheadattention1').map((e) => e.port)).toEqual([
    'key',
    'query',
  ]);

  // A second edge on a taken port is refused, saying which port and what holds it.
  await dropLayer(page, 'Input', 680, 80);
  await selectNode(page, 'input2');
  await setParam(page, 'shape', '6, 4');
  await connect(page, 'input2', 'multiheadattention1', 'query');
  await expect(page.getByTestId('notice')).toContainText('"query" input');
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  // The free value port takes it.
  await connect(page, 'input2', 'multiheadattention1', 'value');
  await expect(page.locator('.react-flow__edge')).toHaveCount(4);
  const again = (await projectInPage(page)).graph.edges as Edge[];
  expect(again.find((e) => e.source === 'input2')?.port).toBe('value');
  await page.setViewportSize({ width: 1280, height: 800 });
  await zoomInOn(page, 'multiheadattention1');
  await page.screenshot({ path: artifact('named-ports-self-attention-1280x800.png') });
});
