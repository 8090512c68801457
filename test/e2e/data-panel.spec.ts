// The data panel always shows the current project's data (#16 item 7) and lets the user set a
// column's kind (#13 item 5), against a real `netwright serve` in Chromium: the Target select shows
// the project's target at once; New and templates never leave the previous preview; a semicolon CSV
// with decimal commas chosen with the file picker is read as numbers and says so, in the panel and
// beside the run; warnings follow each edit without Refresh; a column set to categorical and another
// ignored change what is trained (the run's preprocessing.json).
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, artifact, openTemplate } from './support/fixtures.ts';

/** grade decides the label; size has decimal commas and one blank; comment is an identifier. */
function plantsCsv(): string {
  const lines = ['grade;size;note;comment;label'];
  for (let i = 0; i < 90; i++) {
    const grade = 1 + (i % 3);
    const size = i === 4 ? '' : `${1 + (i % 7)},${(i * 3) % 10}`;
    lines.push(`${grade};${size};${['dry', 'wet', 'mild'][i % 3]};c${i};${'abc'[grade - 1]}`);
  }
  return lines.join('\n') + '\n';
}

test('data panel: never stale, locale CSV from the picker, warnings follow edits, column kinds change the run', async ({
  app: page,
  served,
}) => {
  mkdirSync(path.join(served.root, 'dp'), { recursive: true });
  writeFileSync(path.join(served.root, 'dp', 'plants.csv'), plantsCsv());
  await page.setViewportSize({ width: 1440, height: 900 });

  // The Iris template: its target is in the select at once.
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('data-target')).toHaveValue('species');
  await expect(page.getByTestId('data-preview').locator('thead')).toContainText('sepal_length');

  // New → blank: no source, and no Iris rows left above that sentence.
  await openTemplate(page, 'blank');
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('data-source')).toHaveValue('');
  await expect(page.getByText('This project has no data source yet.')).toBeVisible();
  await expect(page.getByTestId('data-preview')).toHaveCount(0);
  await expect(page.getByTestId('data-target')).toHaveValue('');

  // Back to Iris, then its data replaced through the picker with the semicolon CSV.
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('data-target')).toHaveValue('species');
  await page.getByTestId('data-source-browse').click();
  await page.getByTestId('file-picker-entry-dp').dblclick();
  await page.getByTestId('file-picker-entry-plants.csv').dblclick();
  await expect(page.getByTestId('data-source')).toHaveValue('csv:dp/plants.csv');
  const table = page.getByTestId('data-preview');
  await expect(table.locator('thead')).toContainText('grade');
  await expect(table.locator('thead')).not.toContainText('sepal_length');
  await expect(page.getByTestId('data-target')).toHaveValue('');
  const panel = page.locator('.data-panel');
  await expect(panel).toContainText('Column "size" is read as numbers with a decimal comma (e.g. "1,0").');
  await expect(panel).toContainText('Column "size" has 1 missing value (row 6)');
  await expect(panel).toContainText(
    'Column "comment" is not used as a feature: it has 90 different text values',
  );
  await expect(page.getByTestId('data-kind-of-size')).toContainText('auto (numeric)');
  await expect(page.getByTestId('data-kind-of-grade')).toHaveAccessibleName('Kind of grade');
  await expect(table.locator('tbody tr').nth(1)).toContainText('2.3');

  // Kinds: comment ignored (its warning goes without Refresh), grade as categories, note ignored.
  await page.getByTestId('data-kind-of-comment').selectOption('ignore');
  await expect(panel).not.toContainText('Column "comment" is not used as a feature');
  await page.getByTestId('data-kind-of-grade').selectOption('categorical');
  await page.getByTestId('data-kind-of-note').selectOption('ignore');
  await expect(page.getByTestId('undo-button')).toHaveAccessibleName('Undo Set note to ignore');
  await expect(page.getByTestId('data-kind-of-grade')).toHaveValue('categorical');
  await page.locator('.dock').screenshot({ path: artifact('data-panel-1440x900.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.locator('.dock').screenshot({ path: artifact('data-panel-1280x800.png') });

  // grade one-hot (3) + size (1) = the template's Input [4]: it trains, and the run says what it read.
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill('3');
  await page.getByTestId('train-button').click();
  const status = page.getByTestId('train-status');
  await expect(status).toHaveAttribute('data-status', 'complete', { timeout: 120_000 });
  const warnings = page.getByTestId('train-warnings');
  await expect(warnings).toContainText('Column "size" has 1 missing value');
  await expect(warnings).toContainText('decimal comma');
  const runs = path.join(served.root, 'runs');
  const run = readdirSync(runs)
    .filter((d) => !d.startsWith('.'))
    .sort()
    .reverse()
    .find((d) => readFileSync(path.join(runs, d, 'project.netwright.json'), 'utf8').includes('plants.csv'))!;
  const prep = JSON.parse(readFileSync(path.join(runs, run, 'preprocessing.json'), 'utf8')) as {
    encodings: { columns: { name: string; kind: string; categories?: string[] }[] }[];
  };
  expect(prep.encodings[0].columns).toEqual([
    { name: 'grade', kind: 'categorical', categories: ['1', '2', '3'] },
    { name: 'size', kind: 'numeric' },
  ]);

  // Switching projects afterwards: the new project's data, never the CSV's.
  await openTemplate(page, 'blank');
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('data-preview')).toHaveCount(0);
  await expect(page.locator('.data-panel')).not.toContainText('decimal comma');
});
