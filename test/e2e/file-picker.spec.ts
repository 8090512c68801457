// The workspace file picker, used from the data panel against a real `netwright serve`: keyboard
// navigation into a folder and back, choosing a CSV sets the project's data source and shows its
// preview, and a link out of the workspace is never listed.
import { mkdirSync, symlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, artifact } from './support/fixtures.ts';

test('data panel: Browse… picks a CSV with the keyboard; links out of the workspace are not listed', async ({
  app: page,
  served,
}) => {
  const folder = path.join(served.root, 'picker-data');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'plants.csv'),
    'height,width,kind\n1.0,2.0,a\n1.5,2.5,b\n2.0,1.0,a\n2.5,1.5,b\n3.0,3.0,a\n3.5,0.5,b\n',
  );
  const outside = mkdtempSync(path.join(os.tmpdir(), 'netwright-outside-'));
  writeFileSync(path.join(outside, 'secret.csv'), 'a,b\n1,2\n');
  symlinkSync(outside, path.join(served.root, 'picker-link-out'));
  symlinkSync(path.join(outside, 'secret.csv'), path.join(folder, 'secret-link.csv'));

  await page.getByTestId('tab-data').click();
  await page.getByTestId('data-source-browse').click();
  const picker = page.getByRole('dialog', { name: 'Choose a CSV file or image folder' });
  await expect(picker).toBeVisible();
  const list = picker.getByRole('listbox');
  await expect(list).toBeFocused();
  await expect(page.getByTestId('file-picker-folder')).toHaveText('Workspace');
  await expect(page.getByTestId('file-picker-up')).toBeDisabled();
  await expect(page.getByTestId('file-picker-entry-picker-data')).toBeVisible();
  await expect(page.getByTestId('file-picker-entry-picker-link-out')).toHaveCount(0);

  // Keyboard: select the folder, → opens it, ← goes back up, → again, Enter chooses the CSV.
  await page.getByTestId('file-picker-entry-picker-data').click();
  await expect(page.getByTestId('file-picker-entry-picker-data')).toHaveAttribute('aria-selected', 'true');
  await list.press('ArrowRight');
  await expect(page.getByTestId('file-picker-folder')).toHaveText('picker-data');
  await expect(picker.getByRole('option')).toHaveText([/plants\.csv/]);
  await expect(page.getByTestId('file-picker-entry-secret-link.csv')).toHaveCount(0);
  await picker.screenshot({ path: artifact('file-picker.png') });
  await list.press('ArrowLeft');
  await expect(page.getByTestId('file-picker-folder')).toHaveText('Workspace');
  await page.getByTestId('file-picker-entry-picker-data').click();
  await list.press('Enter');
  await expect(page.getByTestId('file-picker-folder')).toHaveText('picker-data');
  await expect(page.getByTestId('file-picker-choose')).toBeEnabled();
  await list.press('Enter');

  await expect(picker).toHaveCount(0);
  await expect(page.getByTestId('data-source')).toHaveValue('csv:picker-data/plants.csv');
  await expect(page.getByTestId('data-preview').locator('thead')).toContainText('height');
  await expect(page.getByTestId('data-preview').locator('tbody tr')).toHaveCount(6);
  await expect(page.getByTestId('undo-button')).toHaveAccessibleName('Undo Use plants.csv as the data');

  // Escape closes the picker without changing anything.
  await page.getByTestId('data-source-browse').click();
  await expect(picker).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(picker).toHaveCount(0);
  await expect(page.getByTestId('data-source')).toHaveValue('csv:picker-data/plants.csv');
});
