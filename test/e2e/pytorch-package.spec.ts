// Export → PyTorch package and Runs → Import through the real UI and engine: the package written
// from the editor trains with python3 + torch (2 epochs, one process), and its checkpoint comes back
// as a run of the project in the Runs tab, with Netwright's recomputed test accuracy.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, artifact, openTemplate } from './support/fixtures.ts';

test('export a PyTorch package from the editor, train it, import its checkpoint as a run', async ({
  app: page,
  served,
}) => {
  await openTemplate(page, 'iris-mlp');
  await page.getByTestId('save-as-button').click();
  await page.getByTestId('save-as-path').fill('iris.netwright.json');
  await page.getByTestId('save-as-submit').click();
  await expect(page.getByTestId('project-path')).toHaveText('iris.netwright.json');

  await page.getByTestId('tab-export').click();
  await page.getByTestId('export-pytorch-path').fill('iris-ddp');
  await page.getByTestId('export-pytorch-button').click();
  const result = page.getByTestId('export-pytorch-result');
  await expect(result).toContainText('PyTorch package written', { timeout: 60_000 });
  await expect(result).toContainText('iris-ddp');
  await expect(result).toContainText('108 train, 12 validation, 30 test samples');
  await expect(result).not.toContainText(served.root);
  const pkg = path.join(served.root, 'iris-ddp');
  expect(existsSync(path.join(pkg, 'model.py'))).toBe(true);
  await page.locator('.export-panel').screenshot({ path: artifact('export-pytorch.png') });

  execFileSync('/usr/bin/python3', ['train.py', '--nproc-per-node', '1', '--epochs', '2'], {
    cwd: pkg,
    stdio: 'ignore',
  });
  const reported = JSON.parse(readFileSync(path.join(pkg, 'output/final/metrics.json'), 'utf8')) as {
    accuracy: number;
  };

  await page.getByTestId('tab-runs').click();
  await page.getByTestId('runs-import-path').fill('iris-ddp');
  await page.getByTestId('runs-import-button').click();
  const percent = `${(reported.accuracy * 100).toFixed(1)}%`;
  await expect(page.getByTestId('runs-import-result')).toContainText(
    `Imported output/final (2 epochs): test accuracy ${percent}`,
    { timeout: 60_000 },
  );
  const table = page.getByTestId('runs-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr').first()).toContainText('PyTorch DDP × 1 (imported)');
  await expect(table.locator('tbody tr').first()).toContainText(percent);
  await page.locator('.runs-panel').screenshot({ path: artifact('runs-import-pytorch.png') });
});
