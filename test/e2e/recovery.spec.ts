// Crash recovery per editing session, in the browser: two tabs editing at once each keep their own
// recovery; a new tab does not offer the work of tabs that are still open, and once they are gone
// (closed without saving, as in a crash) offers both back, newest first; saving a restored project
// removes its recovery and leaves the other tab's alone.
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, artifact, openTemplate, selectNode, setParam } from './support/fixtures.ts';

async function openTab(context: BrowserContext, url: string): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto(url);
  await expect(tab.locator('.react-flow__node').first()).toBeVisible({ timeout: 30_000 });
  return tab;
}

test('two tabs keep their own recovery; once they are gone a new tab offers both back, newest first', async ({
  app: tabA,
  served,
}) => {
  // Recoveries that earlier tests of this worker left behind: discard them for a known start.
  await expect(tabA.getByTestId('backend-badge')).not.toHaveText('…');
  await expect(tabA.locator('.app')).toHaveAttribute('data-recovery-checked', 'yes');
  while (await tabA.getByTestId('recovery-discard').isVisible()) {
    await tabA.getByTestId('recovery-discard').click();
  }

  await openTemplate(tabA, 'iris-mlp');
  await selectNode(tabA, 'd1');
  await setParam(tabA, 'units', '37');
  await tabA.getByTestId('project-name').fill('Tab A work');

  const tabB = await openTab(tabA.context(), served.url);
  await openTemplate(tabB, 'iris-mlp');
  await selectNode(tabB, 'd1');
  await setParam(tabB, 'units', '11');
  await tabB.getByTestId('project-name').fill('Tab B work');
  // Autosave runs after 3 s without edits, in each tab; each tab's dirty marker says when it is kept.
  for (const tab of [tabA, tabB])
    await expect(tab.getByTestId('dirty-marker')).toHaveAttribute('data-autosaved', 'yes', {
      timeout: 30_000,
    });

  // Both tabs are still open: their autosaves are theirs, not something to recover.
  const context = tabA.context();
  const early = await openTab(context, served.url);
  await expect(early.locator('.app')).toHaveAttribute('data-recovery-checked', 'yes');
  await expect(early.getByTestId('recovery-offer')).toHaveCount(0);
  await early.close();

  // Gone without saving (dirty tabs closed without their unload prompt, as a crash would end them).
  await tabA.close({ runBeforeUnload: false });
  await tabB.close({ runBeforeUnload: false });
  const tabC = await openTab(context, served.url);
  await expect(tabC.getByTestId('recovery-offer')).toContainText('Tab B work');
  await expect(tabC.getByTestId('recovery-offer-1')).toContainText('Tab A work');
  await expect(tabC.getByTestId('recovery-offer-2')).toHaveCount(0);
  await tabC.screenshot({ path: artifact('recovery-offers.png') });

  await tabC.getByTestId('recovery-restore-1').click();
  await expect(tabC.getByTestId('project-name')).toHaveValue('Tab A work');
  await expect(tabC.getByTestId('node-shape-d1')).toHaveText('[?, 37]');
  await expect(tabC.getByTestId('dirty-marker')).toHaveText('●');
  // The other tab's recovery is still offered.
  await expect(tabC.getByTestId('recovery-offer')).toContainText('Tab B work');

  await tabC.keyboard.press('ControlOrMeta+s');
  await tabC.getByTestId('save-as-path').fill('restored-a');
  await tabC.getByTestId('save-as-submit').click();
  await expect(tabC.getByTestId('dirty-marker')).toHaveText('');

  // Saved: tab A's recovery is gone, tab B's is left.
  const tabD = await openTab(context, served.url);
  await expect(tabD.getByTestId('recovery-offer')).toContainText('Tab B work');
  await expect(tabD.getByTestId('recovery-offer-1')).toHaveCount(0);
});
