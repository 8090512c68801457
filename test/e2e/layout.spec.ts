// The window at the sizes people use (1280×800, 1440×900): nothing overflows it, wide data tables
// scroll inside their panel, palette names are readable, the Output node is on screen at launch, and
// the dock can be resized by mouse or keyboard with the size remembered.
import { test, expect, artifact, openTemplate } from './support/fixtures.ts';

for (const [width, height] of [
  [1280, 800],
  [1440, 900],
] as const) {
  test(`at ${width}×${height} nothing overflows the window and the graph is in view`, async ({
    app: page,
  }) => {
    await page.setViewportSize({ width, height });
    await page.reload();
    const output = page.getByTestId('node-out');
    await expect(output).toBeVisible();
    // The view is fitted to the graph once it has laid out (an animation): wait for it to settle there.
    await expect
      .poll(async () => {
        const canvas = (await page.locator('.react-flow').boundingBox())!;
        const out = (await output.boundingBox())!;
        return canvas.y + canvas.height - (out.y + out.height);
      })
      .toBeGreaterThanOrEqual(0);
    expect(
      await page.getByTestId('train-button').evaluate((b) => b.getBoundingClientRect().height),
    ).toBeLessThan(40);

    // Palette names are not cut off.
    const cut = await page
      .locator('.palette__item')
      .evaluateAll((items) => items.filter((i) => i.scrollWidth > i.clientWidth).map((i) => i.textContent));
    expect(cut).toEqual([]);

    // An 11-column table in the Data tab scrolls inside the dock; the inspector stays on screen.
    await openTemplate(page, 'credit-risk-mlp');
    await page.getByTestId('tab-data').click();
    await expect(page.getByTestId('data-preview').locator('tbody tr').first()).toBeVisible();
    const sizes = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    const inspector = (await page.getByTestId('inspector').boundingBox())!;
    expect(inspector.x + inspector.width).toBeLessThanOrEqual(width);
    await page.screenshot({ path: artifact(`window-data-${width}x${height}.png`) });
  });
}

test('the dock resizes by dragging its edge or with the arrow keys, and keeps its size after a reload', async ({
  app: page,
}) => {
  const dock = page.getByTestId('dock');
  const before = (await dock.boundingBox())!.height;
  const edge = (await page.getByTestId('dock-resizer').boundingBox())!;
  await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge.x + edge.width / 2, edge.y - 100, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await dock.boundingBox())!.height).toBeGreaterThan(before + 80);
  const dragged = (await dock.boundingBox())!.height;

  await page.getByTestId('dock-resizer').focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(async () => (await dock.boundingBox())!.height).toBeLessThan(dragged);
  const sized = (await dock.boundingBox())!.height;

  await page.reload();
  await expect(page.getByTestId('dock')).toBeVisible();
  await expect
    .poll(async () => Math.round((await page.getByTestId('dock').boundingBox())!.height))
    .toBe(Math.round(sized));
});
