// Several Input nodes on a table (data.inputs): the data panel shows which Input each column goes
// to, moving a column shows the engine's width-mismatch sentence, undo puts it back, and the
// two-Input Iris template trains to a finished run with accuracy — through real mouse input.
import type { Page } from '@playwright/test';
import { test, expect, artifact, openTemplate } from './support/fixtures.ts';

async function dataOf(page: Page): Promise<Record<string, unknown>> {
  return (await page.evaluate(() => {
    const hook = (window as unknown as { __netwright: { editor: { getState(): { toProject(): unknown } } } })
      .__netwright;
    return (hook.editor.getState().toProject() as { data?: Record<string, unknown> }).data;
  }))!;
}

const ORIGINAL = {
  sepal: ['sepal_length', 'sepal_width'],
  petal: ['petal_length', 'petal_width'],
};

test('data panel: columns per Input, a moved column shows the width mismatch, undo restores it, training finishes', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-two-inputs');
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('data-preview').locator('tbody tr').first()).toBeVisible();

  for (const [input, columns] of Object.entries(ORIGINAL))
    for (const c of columns) {
      const select = page.getByTestId(`data-input-of-${c}`);
      await expect(select).toHaveValue(input);
      await expect(select).toHaveAccessibleName(`Input node for ${c}`);
    }
  // The target has no Input select, and the single-Input feature checkboxes are not shown.
  await expect(page.getByTestId('data-input-of-species')).toHaveCount(0);
  await expect(page.getByLabel('Use sepal_length as a feature')).toHaveCount(0);
  await expect(page.getByTestId('data-input-width-sepal')).toContainText('width 2 = shape [2] ✓');
  await expect(page.getByTestId('data-input-width-petal')).toContainText('width 2 = shape [2] ✓');
  await expect(page.getByTestId('data-inputs').getByRole('alert')).toHaveCount(0);

  await page.getByTestId('data-input-of-sepal_width').selectOption('petal');
  await expect
    .poll(() => dataOf(page))
    .toMatchObject({
      inputs: { sepal: ['sepal_length'], petal: ['sepal_width', 'petal_length', 'petal_width'] },
    });
  await expect(page.getByTestId('data-input-width-petal')).toContainText('width 3 ≠ shape [2]');
  await expect(page.getByTestId('data-input-warning-petal')).toHaveText(
    'The Input node "petal" has shape [2], but its columns sepal_width, petal_length, petal_width encode to 3 values; set its shape to [3].',
  );
  await expect(page.getByTestId('data-input-warning-sepal')).toHaveText(
    'The Input node "sepal" has shape [2], but its columns sepal_length encode to 1 value; set its shape to [1].',
  );
  await page.locator('.dock').screenshot({ path: artifact('data-inputs-mismatch.png') });

  const undo = page.getByTestId('undo-button');
  await expect(undo).toHaveAccessibleName('Undo Give sepal_width to petal');
  await undo.click();
  await expect.poll(() => dataOf(page)).toMatchObject({ inputs: ORIGINAL });
  await expect(page.getByTestId('data-input-of-sepal_width')).toHaveValue('sepal');
  await expect(page.getByTestId('data-inputs').getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('data-input-width-sepal')).toContainText('width 2 = shape [2] ✓');
  await page.locator('.dock').screenshot({ path: artifact('data-inputs.png') });

  // A column chosen as the target leaves its Input (a model can't be given what it predicts).
  await page.getByTestId('data-target').selectOption('petal_width');
  await expect
    .poll(() => dataOf(page))
    .toMatchObject({ target: 'petal_width', inputs: { sepal: ORIGINAL.sepal, petal: ['petal_length'] } });
  await expect(page.getByTestId('data-input-width-petal')).toContainText('width 1 ≠ shape [2]');
  await expect(undo).toHaveAccessibleName('Undo Set the target to petal_width');
  await undo.click();
  await expect.poll(() => dataOf(page)).toMatchObject({ target: 'species', inputs: ORIGINAL });
  await expect(page.getByTestId('data-inputs').getByRole('alert')).toHaveCount(0);

  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill('15');
  await page.getByTestId('train-button').click();
  const status = page.getByTestId('train-status');
  await expect(status).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
  await expect(status).toContainText(/accuracy \d+(\.\d+)?%/);
});
