// Training and export from the editor against the real engine: live loss chart, a finished run with
// accuracy, stopping a long run, and an ONNX export with its parity check.
import { test, expect, artifact, openTemplate, selectNode, setParam } from './support/fixtures.ts';

test('train the Iris template: the loss chart updates and the run finishes with accuracy', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('train-epochs').fill('30');
  await page.getByTestId('train-button').click();
  const chart = page.getByTestId('chart-loss');
  await expect(chart).toHaveAttribute('data-points', /^[1-9]\d*$/, { timeout: 60_000 });
  const first = Number(await chart.getAttribute('data-points'));
  await expect
    .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 60_000 })
    .toBeGreaterThan(first);
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 90_000,
  });
  await expect(page.getByTestId('train-status')).toContainText(/accuracy \d+(\.\d)?%/);
  await expect(page.getByTestId('backend-badge')).not.toHaveText('…');
  await page.locator('.dock').screenshot({ path: artifact('training-dashboard.png') });
});

test('a memory warning from the engine shows on the dashboard, and the run still trains', async ({
  app: page,
}) => {
  await openTemplate(page, 'iris-mlp');
  // A wide hidden layer and the largest batch size: the estimate for a full batch is far above any
  // machine's memory, yet Iris has 150 rows, so the real batches stay small and the run is quick.
  await selectNode(page, 'd1');
  await setParam(page, 'units', '65536');
  await page.getByTestId('train-batch-size').fill('1048576');
  await page.getByTestId('train-epochs').fill('2');
  await page.getByTestId('train-button').click();
  const warnings = page.getByTestId('train-warnings');
  await expect(warnings).toContainText(/Training needs about [\d.]+ [GT]B of memory/, { timeout: 60_000 });
  await expect(warnings).toContainText(/lower the batch size to \d+/);
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 90_000,
  });
  await expect(warnings).toBeVisible();
  await page.locator('.dock').screenshot({ path: artifact('training-warning.png') });
});

test('early stopping set in the dashboard ends the run before its epoch limit', async ({ app: page }) => {
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('train-epochs').fill('400');
  await page.getByTestId('train-validation').fill('0.2');
  await page.getByTestId('train-early-stopping').check();
  const patience = page.getByLabel('Early stopping patience (epochs)');
  await patience.fill('2');
  await expect(patience).toHaveValue('2');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('train-early-stopped')).toHaveText(/stopped early after \d+ of 400 epochs/);
  const ran = Number(
    /after (\d+) of/.exec((await page.getByTestId('train-early-stopped').textContent())!)![1],
  );
  expect(ran).toBeLessThan(400);
  expect(Number(await page.getByTestId('chart-loss').getAttribute('data-points'))).toBe(ran);
});

test('the MNIST CNN template trains an epoch; the whole window with its results is saved as an artifact', async ({
  app: page,
}) => {
  // An MNIST epoch takes ~15 s on a quiet 2-core machine and minutes on a loaded one.
  test.setTimeout(360_000);
  // The desktop app's default window (electron/window-options.ts): ten classes must fit without
  // sideways scrolling.
  await page.setViewportSize({ width: 1280, height: 800 });
  await openTemplate(page, 'mnist-cnn');
  await page.getByTestId('train-epochs').fill('1');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 330_000,
  });
  await expect(page.getByTestId('train-status')).toContainText(/accuracy \d+(\.\d)?%/);
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await expect(page.getByTestId('confusion-matrix').locator('tbody tr')).toHaveCount(10);
  // The matrix and the per-class report fit the dashboard: nothing scrolls sideways, and the
  // compact cells keep legible text.
  const overflow = await page.evaluate(() =>
    ['.dock__content', '[data-testid="train-results"]', '.confusion__scroll'].map((sel) => {
      const el = document.querySelector(sel)!;
      return { sel, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
    }),
  );
  for (const o of overflow)
    expect(o.scrollWidth, `${o.sel} scrolls sideways`).toBeLessThanOrEqual(o.clientWidth);
  const cellFont = await page
    .getByTestId('confusion-matrix')
    .locator('tbody td')
    .first()
    .evaluate((td) => parseFloat(getComputedStyle(td).fontSize));
  expect(cellFont).toBeGreaterThanOrEqual(10);
  // Earlier tests leave autosaved edits behind: dismiss the recovery offers for a clean picture.
  const discard = page.getByTestId('recovery-discard');
  while (await discard.isVisible()) await discard.click();
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('f');
  // The dock scrolls vertically: bring the whole matrix into the picture, as a user would.
  await page.getByTestId('confusion-matrix').evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await page.waitForTimeout(500);
  await page.screenshot({ path: artifact('window-mnist-trained.png') });
  await page.locator('.dock').screenshot({ path: artifact('training-dashboard-mnist.png') });
});

test('stop a long run', async ({ app: page }) => {
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('train-epochs').fill('5000');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', /^[1-9]\d*$/, {
    timeout: 60_000,
  });
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'cancelled', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('train-button')).toBeEnabled();
});

test('export ONNX and see the parity result', async ({ app: page }) => {
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('tab-export').click();
  await page.getByTestId('export-onnx-path').fill('iris.onnx');
  await page.getByTestId('export-onnx-button').click();
  const result = page.getByTestId('export-result');
  await expect(result).toContainText('Parity passed', { timeout: 60_000 });
  await expect(result).toContainText(/max abs difference \d\.\d+e[-+]\d+/);
  await expect(result).toContainText(/\d+(\.\d+)? (B|KB|MB)/);
  await page.locator('.dock').screenshot({ path: artifact('export-result.png') });
});

test('the loss chart draws the first epoch batch by batch, before any epoch has ended', async ({
  app: page,
}) => {
  await openTemplate(page, 'mnist-cnn');
  await page.getByTestId('train-epochs').fill('1');
  await page.getByTestId('train-button').click();
  const chart = page.getByTestId('chart-loss');
  // Batch points arrive while no epoch point exists yet: the chart is not empty through epoch 1.
  await expect(chart).toHaveAttribute('data-x-count', /^[1-9]\d*$/, { timeout: 60_000 });
  await expect(chart).toHaveAttribute('data-points', '0');
  await expect(chart.locator('.chart__empty')).toHaveCount(0);
  await expect(chart).toContainText('batches');
  await expect(page.locator('.train-panel__progress')).toContainText(/ETA (measuring…|\d)/);
  await page.locator('.dock').screenshot({ path: artifact('training-first-epoch-batches.png') });
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', /cancelled|complete/, {
    timeout: 60_000,
  });
});
