// Freezing a layer by mouse: the inspector's Trainable switch puts a lock on the node, the status bar
// splits trainable from frozen parameters, the saved project carries trainable: false, and undo
// unfreezes.
import { test, expect, openTemplate, projectInPage, selectNode } from './support/fixtures.ts';

interface GraphNode {
  id: string;
  trainable?: boolean;
}

test('the Trainable switch freezes a layer, shows a lock and the frozen count, and undo unfreezes', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await expect(page.getByTestId('frozen-params')).toHaveCount(0);
  await selectNode(page, 'd1');
  const toggle = page.getByTestId('trainable-toggle');
  await expect(toggle).toBeChecked();
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  await expect(page.getByTestId('node-lock-d1')).toBeVisible();
  await expect(page.getByTestId('node-lock-d2')).toHaveCount(0);
  // iris-mlp: d1 4·16 + 16 = 80 weights, d2 16·3 + 3 = 51.
  await expect(page.getByTestId('frozen-params')).toHaveText('51 trainable · 80 frozen');
  const nodes = (await projectInPage(page)).graph.nodes as GraphNode[];
  expect(nodes.find((n) => n.id === 'd1')?.trainable).toBe(false);
  expect(nodes.find((n) => n.id === 'd2')?.trainable).toBeUndefined();

  await page.getByTestId('undo-button').click();
  await expect(page.getByTestId('node-lock-d1')).toHaveCount(0);
  await expect(page.getByTestId('frozen-params')).toHaveCount(0);
  const after = (await projectInPage(page)).graph.nodes as GraphNode[];
  expect(after.find((n) => n.id === 'd1')?.trainable).toBeUndefined();
});
