// Every panel at the window sizes people use (1280×800, 1440×900), screenshotted into test/artifacts
// to be looked at: after a short real training run so Runs, Explain and Predict have a run to show,
// with a node selected so the inspector is filled, then the dialogs and the dark theme. At each
// shot nothing may overflow the window (the page never scrolls; panels scroll inside themselves).
import type { Locator, Page } from '@playwright/test';
import { test, expect, artifact, openTemplate, selectNode } from './support/fixtures.ts';

const SIZES = [
  [1280, 800],
  [1440, 900],
] as const;

/** The Output node lies wholly inside the canvas. */
async function inView(page: Page): Promise<boolean> {
  const canvas = (await page.locator('.react-flow').boundingBox())!;
  const out = (await page.getByTestId('node-out').boundingBox())!;
  return out.y >= canvas.y && out.y + out.height <= canvas.y + canvas.height;
}

async function shoot(page: Page, name: string, ready: Locator): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await expect(ready).toBeVisible();
    // The whole graph in view at this size (a resize refits only a graph it would cut; the canvas
    // control fits the whole graph whatever is selected).
    if (!(await page.getByRole('dialog').count())) {
      await page.locator('.react-flow__controls-fitview').click();
      await expect.poll(async () => inView(page)).toBe(true);
    }
    const page_ = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      scrollHeight: document.documentElement.scrollHeight,
      width: document.documentElement.clientWidth,
      height: document.documentElement.clientHeight,
    }));
    expect(page_.scrollWidth, `${name} at ${width}×${height}: page width`).toBeLessThanOrEqual(page_.width);
    expect(page_.scrollHeight, `${name} at ${width}×${height}: page height`).toBeLessThanOrEqual(
      page_.height,
    );
    await page.screenshot({ path: artifact(`panel-${name}-${width}x${height}.png`) });
  }
}

test('every panel and dialog at 1280×800 and 1440×900, after a real run', async ({ app: page }) => {
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill('panels/iris.netwright.json');
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText('panels/iris.netwright.json');
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill('5');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 180_000,
  });
  await selectNode(page, 'd1');

  await shoot(page, 'training', page.getByTestId('chart-loss'));
  await page.getByTestId('tab-data').click();
  await shoot(page, 'data', page.getByTestId('data-preview').locator('tbody tr').first());
  await page.getByTestId('tab-export').click();
  await shoot(page, 'export', page.getByTestId('export-onnx-button'));
  await page.getByTestId('tab-runs').click();
  await shoot(page, 'runs', page.getByTestId('runs-table'));
  await page.getByTestId('tab-explain').click();
  await page.getByTestId('explain-button').click();
  await shoot(page, 'explain', page.getByTestId('explain-result'));
  await page.getByTestId('tab-predict').click();
  await shoot(page, 'predict', page.getByTestId('predict-run'));

  await page.getByTestId('tab-data').click();
  await page.getByTestId('data-source-browse').click();
  await shoot(page, 'file-picker', page.getByTestId('file-picker'));
  await page.getByTestId('file-picker-cancel').click();
  for (const [button, ready] of [
    ['new-button', 'template-iris-mlp'],
    ['open-button', 'open-path'],
    ['save-as-button', 'save-as-path'],
    ['help-button', 'shortcut-help'],
  ] as const) {
    await page.getByTestId(button).click();
    await shoot(page, `dialog-${button.replace('-button', '')}`, page.getByTestId(ready));
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }

  await page.getByTestId('theme-button').click();
  await page.getByTestId('tab-training').click();
  await shoot(page, 'training-dark', page.getByTestId('chart-loss'));
});
