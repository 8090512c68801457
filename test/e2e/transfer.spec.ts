// Transfer learning by mouse against `netwright serve`: the palette's Pretrained section inserts a
// block frozen with its weights (a startFrom entry in the project), a head is added and connected,
// and the "Fine-tune on your own images" template trains its new head on top of the frozen block.
import {
  test,
  expect,
  artifact,
  connect,
  dropLayer,
  openTemplate,
  projectInPage,
  setParam,
  selectNode,
} from './support/fixtures.ts';

interface GraphNode {
  id: string;
  type: string;
  trainable?: boolean;
}

test('a Pretrained block inserts frozen with its weights; a new head makes it a valid model', async ({
  app: page,
}) => {
  await openTemplate(page, 'blank');
  const block = page.getByTestId('palette-pretrained-digit-features');
  await expect(block).toBeVisible();
  await block.click();
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  await expect(page.getByTestId('node-digits_flat')).toBeVisible();
  await expect(page.getByTestId('node-lock-digits_conv1')).toBeVisible();
  await expect(page.getByTestId('node-lock-digits_conv2')).toBeVisible();
  // conv1 3·3·1·16 + 16 = 160, conv2 3·3·16·32 + 32 = 4,640.
  await expect(page.getByTestId('frozen-params')).toHaveText('0 trainable · 4,800 frozen');
  const project = (await projectInPage(page)) as unknown as {
    graph: { nodes: GraphNode[] };
    startFrom: { source: string; nodes: string[] }[];
  };
  expect(project.startFrom).toEqual([
    { source: 'pretrained:digit-features', nodes: ['digits_conv1', 'digits_conv2'] },
  ]);

  // The head: a Dense with 3 classes and an Output, dropped and connected by mouse.
  await dropLayer(page, 'Dense', 130, 120);
  await dropLayer(page, 'Output', 130, 300);
  const ids = ((await projectInPage(page)).graph.nodes as GraphNode[]).map((n) => n.id);
  const dense = ids.find((id) => id.startsWith('dense'))!;
  const output = ids.find((id) => id.startsWith('output'))!;
  await connect(page, 'digits_flat', dense);
  await connect(page, dense, output);
  await selectNode(page, dense);
  await setParam(page, 'units', '3');
  await expect(page.getByTestId(`node-shape-${dense}`)).toContainText('3');
  // 800 features · 3 + 3 = 2,403 trainable in the new head.
  await expect(page.getByTestId('frozen-params')).toHaveText('2,403 trainable · 4,800 frozen');

  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.getByTestId('palette-pretrained').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact(`pretrained-block-${w}x${h}.png`) });
  }
});

test('the "Fine-tune on your own images" template trains its head on the frozen Surface block', async ({
  app: page,
}) => {
  await openTemplate(page, 'fine-tune-images');
  await expect(page.getByTestId('node-lock-surface_conv1')).toBeVisible();
  await expect(page.getByTestId('node-lock-surface_conv3')).toBeVisible();
  await expect(page.getByTestId('node-lock-head')).toHaveCount(0);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 180_000,
  });
  await expect(page.getByTestId('train-status')).toContainText(/accuracy \d+(\.\d)?%/);
});
