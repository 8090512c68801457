// The Explain tab against the real engine: a table run's column importances as named bars with
// their caveat, one test example's attributions, reached from the Runs tab; and Grad-CAM heat maps
// over test images of a defect run and a series window's per-step attributions, both trained by
// the real CLI in the served folder.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { REPO, artifact, expect, openTemplate, test } from './support/fixtures.ts';
import { defectProject } from '../explain/defects.ts';
import { LENGTH, project as seriesProject, seriesCsv } from '../explain/series.ts';

async function saveAs(page: Page, name: string): Promise<void> {
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill(name);
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

async function screenshots(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: artifact(`${name}-${width}x${height}.png`) });
  }
}

test('a table run: the Runs tab links to Explain, which ranks the columns and explains one example', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await saveAs(page, 'iris-explain.netwright.json');
  await page.getByTestId('train-epochs').fill('40');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 90_000,
  });
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('run-explain-0').click();
  await expect(page.getByTestId('tab-explain')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('explain-button').click();
  const result = page.getByTestId('explain-result');
  await expect(result).toHaveAttribute('data-method', 'permutation', { timeout: 60_000 });
  const bars = page.getByTestId('explain-bars');
  await expect(bars).toContainText('Drop in test accuracy when a column is shuffled');
  const names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
  for (const n of names) await expect(bars.getByTestId(`explain-bars-${n}`)).toContainText(n);
  // Iris species are told apart by the petals: a petal column leads.
  const value = async (n: string) =>
    Number(await bars.getByTestId(`explain-bars-${n}`).getAttribute('data-value'));
  const values = await Promise.all(names.map(value));
  expect(Math.max(values[2], values[3])).toBeGreaterThan(Math.max(values[0], values[1]));
  await expect(page.getByTestId('explain-caveat')).toContainText('correlated columns share');
  await screenshots(page, 'explain-table');

  await page.getByTestId('explain-method').selectOption('integratedGradients');
  await page.getByTestId('explain-example').fill('3');
  await page.getByTestId('explain-button').click();
  await expect(result).toHaveAttribute('data-method', 'integratedGradients', { timeout: 60_000 });
  await expect(page.getByTestId('explain-sample')).toContainText(
    /^test 3: \w+ [\d.]+ against [\d.]+ for the average training row \(actual \w+\)/,
  );
  for (const n of names) await expect(bars.getByTestId(`explain-bars-${n}`)).toBeVisible();
  await expect(page.getByTestId('explain-caveat')).toContainText('baseline');
  await screenshots(page, 'explain-table-example');

  // A method that does not fit: one sentence, no result.
  await page.getByTestId('explain-method').selectOption('gradCam');
  await page.getByTestId('explain-button').click();
  await expect(page.getByTestId('explain-error')).toHaveText(/^gradCam explains image models; .*\.$/);
});

test('an image run: Grad-CAM heat maps over test images, for a chosen example and class', async ({
  app: page,
  served,
}) => {
  // A small defect CNN trained by the real CLI into the served folder (a few epochs: the test is
  // about the tab, test/explain/explain-image.test.ts about where the maps point).
  const project = defectProject() as { data: Record<string, unknown>; training: Record<string, unknown> };
  project.data.samples = 400;
  const file = path.join(served.root, 'defects.netwright.json');
  writeFileSync(file, JSON.stringify(project));
  execFileSync(process.execPath, [path.join(REPO, 'bin/netwright.mjs'), 'train', file, '--epochs', '4'], {
    cwd: REPO,
    stdio: 'ignore',
  });
  await page.getByTestId('open-button').click();
  await page.getByTestId('open-path').fill('defects.netwright.json');
  await page.getByTestId('open-submit').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByTestId('tab-explain').click();
  await page.getByTestId('explain-button').click();
  const images = page.getByTestId('explain-images');
  await expect(images).toContainText('Grad-CAM on layer conv3 (of conv1, conv2, conv3)', { timeout: 60_000 });
  await expect(images.locator('canvas')).toHaveCount(4);
  await expect(page.getByTestId('explain-caveat')).toContainText('resolution of the chosen conv layer');
  await screenshots(page, 'explain-images');

  await page.getByTestId('explain-method').selectOption('layerCam');
  await page.getByTestId('explain-mirrors').check();
  await page.getByTestId('explain-button').click();
  await expect(images).toContainText(
    'Layer-CAM on layer conv3 (of conv1, conv2, conv3), averaged over the mirror images',
    { timeout: 60_000 },
  );
  await expect(images.locator('canvas')).toHaveCount(4);
  await screenshots(page, 'explain-layercam');
  await page.getByTestId('explain-mirrors').uncheck();

  await page.getByTestId('explain-example').fill('7');
  await page.getByTestId('explain-class').fill('scratch');
  await page.getByTestId('explain-method').selectOption('smoothGrad');
  await page.getByTestId('explain-button').click();
  await expect(images.locator('canvas')).toHaveCount(1, { timeout: 60_000 });
  await expect(images).toContainText(/test 7: predicted \w+ \(\d+%\) · actual \w+\s*explains scratch/);
  await expect(page.getByTestId('explain-heatmap-test-7')).toBeVisible();
});

test('a series run: integrated gradients drawn under the window, step for step', async ({
  app: page,
  served,
}) => {
  const file = path.join(served.root, 'series.netwright.json');
  writeFileSync(path.join(served.root, 'series.csv'), seriesCsv(4000, 1));
  writeFileSync(file, JSON.stringify(seriesProject));
  execFileSync(process.execPath, [path.join(REPO, 'bin/netwright.mjs'), 'train', file], {
    cwd: REPO,
    stdio: 'ignore',
  });
  await page.getByTestId('open-button').click();
  await page.getByTestId('open-path').fill('series.netwright.json');
  await page.getByTestId('open-submit').click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByTestId('tab-explain').click();
  await page.getByTestId('explain-method').selectOption('integratedGradients');
  await page.getByTestId('explain-example').fill('0');
  await page.getByTestId('explain-button').click();
  const chart = page.getByTestId('explain-series');
  await expect(chart).toContainText('The window (v, oldest first)', { timeout: 60_000 });
  await expect(chart.locator('rect')).toHaveCount(LENGTH);
  // The value depends on the last 5 steps only: they carry most of the attribution.
  const mass = await Promise.all(
    Array.from({ length: LENGTH }, async (_, t) =>
      Math.abs(Number(await page.getByTestId(`explain-step-${t}`).getAttribute('data-value'))),
    ),
  );
  const total = mass.reduce((a, b) => a + b, 0);
  expect(mass.slice(-5).reduce((a, b) => a + b, 0) / total).toBeGreaterThan(0.5);
  await expect(page.getByTestId('explain-caveat')).toContainText('baseline');
  await chart.scrollIntoViewIfNeeded();
  await screenshots(page, 'explain-series');
});
