// Every control a user can see has a name a screen reader can announce (issue 5: "every control …
// labelled for screen readers"): each visible button, input, select and textarea (and element with
// role=button) has a non-empty accessible name (aria-label, aria-labelledby, a <label>, or its text),
// as Playwright computes it from the accessibility tree — in the editor with each dock panel open,
// in the inspector form of every layer type, and in each dialog.
import type { Locator, Page } from '@playwright/test';
import { test, expect, openTemplate, selectNode } from './support/fixtures.ts';

const CONTROLS = 'button, input, select, textarea, [role="button"]';

/** The visible controls under `scope` without an accessible name, described by their HTML. */
async function unnamedControls(scope: Locator): Promise<string[]> {
  const controls = scope.locator(CONTROLS).filter({ visible: true });
  const count = await controls.count();
  const missing: string[] = [];
  for (let i = 0; i < count; i++) {
    const control = controls.nth(i);
    try {
      await expect(control).toHaveAccessibleName(/\S/, { timeout: 200 });
    } catch {
      missing.push(await control.evaluate((el) => el.outerHTML.replace(/\s+/g, ' ').slice(0, 240)));
    }
  }
  return missing;
}

async function check(page: Page, missing: Record<string, string[]>, where: string, scope?: Locator) {
  const root = scope ?? page.locator('body');
  expect(
    await root.locator(CONTROLS).filter({ visible: true }).count(),
    `controls in ${where}`,
  ).toBeGreaterThan(0);
  const found = await unnamedControls(root);
  if (found.length) missing[where] = found;
}

test('every visible control in the editor and its panels has an accessible name', async ({ app: page }) => {
  const missing: Record<string, string[]> = {};
  await selectNode(page, (await page.locator('.react-flow__node').first().getAttribute('data-id'))!);
  for (const tab of ['training', 'data', 'export', 'runs']) {
    await page.getByTestId(`tab-${tab}`).click();
    if (tab === 'data') await expect(page.getByTestId('data-preview')).toBeVisible();
    await check(page, missing, `editor with the ${tab} panel`);
  }
  expect(missing).toEqual({});
});

test('the inspector form of every layer type labels each field', async ({ app: page }) => {
  await openTemplate(page, 'blank');
  const missing: Record<string, string[]> = {};
  const items = page.locator('[data-testid^="palette-"][role="button"]');
  const types = (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!))).map((t) =>
    t.replace('palette-', ''),
  );
  expect(types.length).toBeGreaterThan(10);
  for (const type of types) {
    // Enter on a palette entry adds the layer (keyboard path) and selects it.
    await page.getByTestId(`palette-${type}`).press('Enter');
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toHaveAttribute('aria-label', new RegExp(`Inspector for ${type.toLowerCase()}`));
    const found = await unnamedControls(inspector);
    if (found.length) missing[type] = found;
  }
  expect(missing).toEqual({});
});

test('every control in the dialogs has an accessible name', async ({ app: page }) => {
  const missing: Record<string, string[]> = {};
  for (const opener of ['new-button', 'open-button', 'save-as-button', 'help-button']) {
    await page.getByTestId(opener).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await check(page, missing, opener.replace('-button', ' dialog'), dialog);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  }
  // The workspace file picker (data panel's Browse…): its buttons, and its list and entries by role.
  await page.getByTestId('tab-data').click();
  await page.getByTestId('data-source-browse').click();
  const picker = page.getByRole('dialog', { name: 'Choose a CSV file or image folder' });
  await expect(picker).toBeVisible();
  await check(page, missing, 'file picker', picker);
  await expect(picker.getByRole('listbox')).toHaveAccessibleName('Files and folders in the workspace');
  await page.keyboard.press('Escape');
  await expect(picker).toHaveCount(0);
  expect(missing).toEqual({});
});
