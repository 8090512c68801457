// The Predict tab against a real `netwright serve` in Chromium (#13 item 3): a CSV and images chosen
// with the workspace file picker run through the trained run's model; the table shows the class and
// probability and the blank cells filled per row; the predictions are saved as a CSV and downloaded;
// an exported ONNX file is downloaded from the page and gives the same label in onnxruntime-node.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { test, expect, artifact } from './support/fixtures.ts';

async function train(page: Page, epochs: string): Promise<void> {
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill(epochs);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 120_000,
  });
}

async function choose(page: Page, ...names: string[]): Promise<void> {
  await page.getByTestId('predict-choose').click();
  const picker = page.getByTestId('file-picker');
  await expect(picker).toBeVisible();
  for (const name of names) await page.getByTestId(`file-picker-entry-${name}`).dblclick();
  await expect(picker).toHaveCount(0);
}

test('Predict tab on a CSV: classes, filled blanks per row, saved and downloaded CSV; ONNX download runs in onnxruntime', async ({
  app: page,
  served,
}) => {
  mkdirSync(path.join(served.root, 'to-predict'), { recursive: true });
  writeFileSync(
    path.join(served.root, 'to-predict', 'flowers.csv'),
    'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,\n5.9,3.0,4.2,1.5\n',
  );
  await train(page, '30');

  await page.getByTestId('tab-predict').click();
  await expect(page.getByTestId('predict-run')).toBeVisible();
  await choose(page, 'to-predict', 'flowers.csv');
  await expect(page.getByTestId('predict-files')).toHaveText('to-predict/flowers.csv');
  await page.getByTestId('predict-button').click();
  const table = page.getByTestId('predict-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('predict-row-0')).toContainText('row 2');
  for (let i = 0; i < 3; i++)
    await expect(page.getByTestId(`predict-class-${i}`)).toHaveText(/^(setosa|versicolor|virginica)$/);
  await expect(page.getByTestId('predict-row-0')).toContainText('%');
  await expect(page.getByTestId('predict-row-1')).toContainText(
    /flowers\.csv row 3, column "petal_width" is blank; the training mean [\d.]+ is used\./,
  );
  await expect(page.getByTestId('predict-row-0').locator('td').last()).toHaveText('');
  const firstClass = (await page.getByTestId('predict-class-0').textContent())!;

  for (const [w, h] of [
    [1440, 900],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: artifact(`predict-csv-${w}x${h}.png`) });
  }

  await page.getByTestId('predict-save').click();
  await expect(page.getByTestId('predict-saved')).toHaveText('Saved to predictions.csv');
  const saved = readFileSync(path.join(served.root, 'predictions.csv'), 'utf8');
  expect(saved.split(/\r?\n/)[0]).toBe(
    'file,row,class,probability,p(setosa),p(versicolor),p(virginica),warnings',
  );
  expect(saved).toContain(`flowers.csv,row 2,${firstClass},`);
  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('predict-download').click();
  const got = await csvDownload;
  expect(got.suggestedFilename()).toBe('predictions.csv');
  expect(readFileSync(await got.path(), 'utf8')).toBe(saved);

  // Export ONNX in web mode, then take it from the page.
  await page.getByTestId('tab-export').click();
  await page.getByTestId('export-onnx-path').fill('exports/iris.onnx');
  await page.getByTestId('export-onnx-button').click();
  await expect(page.getByTestId('export-result')).toContainText('ONNX written', { timeout: 120_000 });
  const onnxDownload = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  const onnx = await onnxDownload;
  expect(onnx.suggestedFilename()).toBe('iris.onnx');
  const bytes = readFileSync(await onnx.path());
  expect(bytes.equals(readFileSync(path.join(served.root, 'exports/iris.onnx')))).toBe(true);
  const session = await ort.InferenceSession.create(bytes);
  const row = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
  const feeds = Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, new ort.Tensor('float32', Float32Array.from([v]), [1, 1])]),
  );
  const out = await session.run(feeds);
  expect((out.label.data as string[])[0]).toBe(firstClass);

  // The tfjs export is a folder: it comes down as a zip of its files.
  await page.getByTestId('export-tfjs-path').fill('exports/iris-tfjs');
  await page.getByTestId('export-tfjs-button').click();
  await expect(page.getByTestId('export-result')).toContainText('tfjs model written', { timeout: 120_000 });
  const zipDownload = page.waitForEvent('download');
  await page.getByTestId('export-tfjs-download').click();
  const zipped = await zipDownload;
  expect(zipped.suggestedFilename()).toBe('iris-tfjs.zip');
  const zip = new AdmZip(await zipped.path());
  const modelJson = zip.readFile('model.json');
  expect(modelJson?.equals(readFileSync(path.join(served.root, 'exports/iris-tfjs/model.json')))).toBe(true);
});

/** An 8×8 grey PNG: bright or dark, with a little texture. */
function png(bright: boolean, seed: number): Buffer {
  const img = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < 64; i++) {
    const v = (bright ? 200 : 40) + ((i * 7 + seed * 13) % 30);
    img.data.set([v, v, v, 255], i * 4);
  }
  return PNG.sync.write(img);
}

test('Predict tab on images: one prediction per chosen image; the data panel picks an image folder inside the project', async ({
  app: page,
  served,
}) => {
  const dir = path.join(served.root, 'img');
  for (const cls of ['bright', 'dark']) {
    mkdirSync(path.join(dir, 'shapes', cls), { recursive: true });
    for (let i = 0; i < 12; i++)
      writeFileSync(path.join(dir, 'shapes', cls, `${cls[0]}${i}.png`), png(cls === 'bright', i));
  }
  for (const cls of ['x', 'y']) {
    mkdirSync(path.join(served.root, 'outside-shapes', cls), { recursive: true });
    writeFileSync(path.join(served.root, 'outside-shapes', cls, 'a.png'), png(cls === 'x', 1));
  }
  writeFileSync(
    path.join(dir, 'shapes.netwright.json'),
    JSON.stringify({
      format: 'netwright',
      version: 1,
      name: 'Shapes',
      graph: {
        nodes: [
          { id: 'in', type: 'Input', params: { shape: [8, 8, 1] }, position: { x: 0, y: 0 } },
          { id: 'flat', type: 'Flatten', params: {}, position: { x: 0, y: 120 } },
          { id: 'd', type: 'Dense', params: { units: 2, activation: 'softmax' }, position: { x: 0, y: 240 } },
          {
            id: 'out',
            type: 'Output',
            params: { loss: 'categoricalCrossentropy' },
            position: { x: 0, y: 360 },
          },
        ],
        edges: [
          { id: 'e1', source: 'in', target: 'flat' },
          { id: 'e2', source: 'flat', target: 'd' },
          { id: 'e3', source: 'd', target: 'out' },
        ],
      },
      data: { source: 'images:shapes' },
      training: { epochs: 10, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.05 } },
    }),
  );
  await page.getByTestId('open-button').click();
  await page.getByTestId('open-path').fill('img/shapes.netwright.json');
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('project-name')).toHaveValue('Shapes');

  // The data panel's picker starts in the project's folder; an image folder becomes images:<path
  // relative to the project>; one outside the project's folder is refused in a sentence.
  await page.getByTestId('tab-data').click();
  await page.getByTestId('data-source-browse').click();
  await expect(page.getByTestId('file-picker-folder')).toHaveText('img');
  await expect(page.getByTestId('file-picker-entry-shapes')).toHaveAttribute('data-kind', 'image-folder');
  await page.getByTestId('file-picker-entry-shapes').click();
  await page.getByTestId('file-picker-choose').click();
  await expect(page.getByTestId('data-source')).toHaveValue('images:shapes');
  await expect(page.getByTestId('data-thumbnails')).toBeVisible();
  await page.getByTestId('data-source-browse').click();
  await page.getByTestId('file-picker-up').click();
  await expect(page.getByTestId('file-picker-folder')).toHaveText('Workspace');
  await page.getByTestId('file-picker-entry-outside-shapes').click();
  await page.getByTestId('file-picker-choose').click();
  await expect(page.locator('.data-panel').getByRole('alert')).toHaveText(
    "outside-shapes is outside the project's folder (img); data must be in that folder or below it.",
  );
  await expect(page.getByTestId('data-source')).toHaveValue('images:shapes');
  await train(page, '10');

  await page.getByTestId('tab-predict').click();
  await choose(page, 'shapes', 'bright', 'b3.png');
  await expect(page.getByTestId('predict-choose')).toHaveText('Add image…');
  await choose(page, 'shapes', 'dark', 'd5.png');
  await expect(page.getByTestId('predict-files')).toHaveText(
    'img/shapes/bright/b3.pngimg/shapes/dark/d5.png',
  );
  await page.getByTestId('predict-button').click();
  await expect(page.getByTestId('predict-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('predict-row-0')).toContainText('b3.png');
  await expect(page.getByTestId('predict-row-1')).toContainText('d5.png');
  await expect(page.getByTestId('predict-class-0')).toHaveText('bright');
  await expect(page.getByTestId('predict-class-1')).toHaveText('dark');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: artifact('predict-images-1280x800.png') });
});
