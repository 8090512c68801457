// Results beyond the metrics (#16 items 4 and 5, #19 item 2), against the real `netwright serve`:
// a forecast run's prediction plotted against the actual series beside the naive last-value
// forecast, both MAEs as metrics.json has them; two runs compared with per-batch curves overlaid;
// a classification run's misclassified test examples (rows as a table, images as thumbnails), each
// linking to the Explain tab for that example.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, artifact, openTemplate } from './support/fixtures.ts';

async function saveAs(page: Page, name: string): Promise<void> {
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill(name);
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText(name);
}

async function train(page: Page, epochs: number): Promise<void> {
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill(String(epochs));
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 180_000,
  });
}

async function shoot(page: Page, name: string, target = page.locator('.dock')): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width, height });
    await target.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact(`${name}-${width}x${height}.png`) });
  }
}

/** The one run folder of a project saved as `folder/x.netwright.json` in the workspace. */
function metricsOfOnlyRun(root: string, folder: string): Record<string, number & { mae: number }> {
  const runs = path.join(root, folder, 'runs');
  const [only] = readdirSync(runs).filter((n) => !n.startsWith('.'));
  return JSON.parse(readFileSync(path.join(runs, only, 'metrics.json'), 'utf8'));
}

test('a forecast run plots the model against the actual series beside the naive forecast, with both MAEs', async ({
  app: page,
  served,
}) => {
  await openTemplate(page, 'sp500-lstm');
  await saveAs(page, 'forecast/sp500.netwright.json');
  await train(page, 2);
  const view = page.getByTestId('forecast-view');
  await expect(view).toBeVisible({ timeout: 60_000 });
  const metrics = metricsOfOnlyRun(served.root, 'forecast') as unknown as {
    mae: number;
    naive: { mae: number };
  };
  const shown = async (id: string) =>
    Number((await page.getByTestId(id).locator('dd').textContent())!.replace(/[^\d.e-]/g, ''));
  // Shown to 4 significant digits.
  expect(Math.abs((await shown('forecast-mae')) / metrics.mae - 1)).toBeLessThan(5e-4);
  expect(Math.abs((await shown('forecast-naive-mae')) / metrics.naive.mae - 1)).toBeLessThan(5e-4);
  expect(await shown('forecast-naive-mae')).not.toBe(await shown('forecast-mae'));
  const chart = page.getByTestId('chart-forecast');
  await expect(chart).toContainText('actual');
  await expect(chart).toContainText('naive (last value)');
  expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(50);
  await expect(page.getByTestId('forecast-verdict')).toBeVisible();
  await shoot(page, 'forecast-vs-actual', view);
});

test('two runs compared with per-batch curves; misclassified rows link to Explain for that example', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await saveAs(page, 'compare/iris.netwright.json');
  await train(page, 4);
  // A second run with another learning rate, so the two curves differ.
  await page.getByTestId('train-lr').fill('0.05');
  await train(page, 3);
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(2);
  await page.getByTestId('run-select-0').check();
  await page.getByTestId('run-select-1').check();
  const chart = page.getByTestId('chart-compare');
  await expect(chart).toBeVisible();
  // Iris trains on 108 rows in batches of 16: 7 batches an epoch, each its own point (not one per epoch).
  expect(Number(await chart.getAttribute('data-points'))).toBe(7 * 4 + 7 * 3);
  await shoot(page, 'runs-compare-per-batch', chart);

  await page.getByTestId('run-select-0').uncheck();
  await page.getByTestId('run-open-1').click();
  const section = page.getByTestId('misclassified');
  await expect(section).toBeVisible({ timeout: 60_000 });
  const count = await page.getByTestId('misclassified-count').textContent();
  const wrong = Number(/: (\d+) of 30/.exec(count ?? '')?.[1]);
  expect(wrong).toBeGreaterThan(0);
  const rows = section.locator('tbody tr');
  await expect(rows).toHaveCount(Math.min(wrong, 24));
  await shoot(page, 'runs-misclassified-table', section);
  const first = rows.first();
  const index = Number(await first.locator('td').first().textContent());
  await first.getByRole('button', { name: `Explain test example ${index}` }).click();
  await expect(page.getByTestId('tab-explain')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('explain-example')).toHaveValue(String(index));
});

test('an image classifier shows its misclassified test images as thumbnails, each linking to Explain', async ({
  app: page,
}) => {
  await openTemplate(page, 'defect-cnn');
  await saveAs(page, 'images/defects.netwright.json');
  await train(page, 1);
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('run-open-0').click();
  const section = page.getByTestId('misclassified');
  await expect(section).toBeVisible({ timeout: 60_000 });
  const count = (await page.getByTestId('misclassified-count').textContent()) ?? '';
  const wrong = Number(/: (\d+) of \d+/.exec(count)?.[1]);
  expect(wrong).toBeGreaterThan(0);
  const images = section.locator('canvas[role="img"]');
  await expect(images).toHaveCount(Math.min(wrong, 24));
  // A thumbnail is drawn from the sample's pixels: the canvas has the image's own size.
  const first = section.locator('[data-testid^="misclassified-image-"]').first();
  const canvas = first.locator('canvas');
  expect(Number(await canvas.getAttribute('width'))).toBeGreaterThan(8);
  await shoot(page, 'runs-misclassified-images', section);
  const index = Number((await first.getAttribute('data-testid'))!.replace('misclassified-image-', ''));
  await page.getByTestId(`misclassified-explain-${index}`).click();
  await expect(page.getByTestId('tab-explain')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('explain-example')).toHaveValue(String(index));
});
