// Transfer learning by mouse against `netwright serve`: the palette's Pretrained section inserts a
// block frozen with its weights (a startFrom entry in the project), a head is added and connected,
// and the "Fine-tune on your own images" template trains its new head on top of the frozen block.
// File › Import brings a PyTorch CNN in through the workspace picker; its layers are locked, its head
// replaced, and it trains and exports.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  REPO,
  test,
  expect,
  artifact,
  connect,
  dropLayer,
  openTemplate,
  projectInPage,
  setParam,
  selectNode,
} from './support/fixtures.ts';

interface GraphNode {
  id: string;
  type: string;
  trainable?: boolean;
}

test('a Pretrained block inserts frozen with its weights; a new head makes it a valid model', async ({
  app: page,
}) => {
  await openTemplate(page, 'blank');
  const block = page.getByTestId('pretrained-block-digit-features');
  await expect(block).toBeVisible();
  await block.click();
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  await expect(page.getByTestId('node-digits_flat')).toBeVisible();
  await expect(page.getByTestId('node-lock-digits_conv1')).toBeVisible();
  await expect(page.getByTestId('node-lock-digits_conv2')).toBeVisible();
  // conv1 3·3·1·16 + 16 = 160, conv2 3·3·16·32 + 32 = 4,640.
  await expect(page.getByTestId('frozen-params')).toHaveText('0 trainable · 4,800 frozen');
  const project = (await projectInPage(page)) as unknown as {
    graph: { nodes: GraphNode[] };
    startFrom: { source: string; nodes: string[] }[];
  };
  expect(project.startFrom).toEqual([
    { source: 'pretrained:digit-features', nodes: ['digits_conv1', 'digits_conv2'] },
  ]);

  // The head: a Dense with 3 classes and an Output, dropped and connected by mouse.
  await dropLayer(page, 'Dense', 130, 120);
  await dropLayer(page, 'Output', 130, 300);
  const ids = ((await projectInPage(page)).graph.nodes as GraphNode[]).map((n) => n.id);
  const dense = ids.find((id) => id.startsWith('dense'))!;
  const output = ids.find((id) => id.startsWith('output'))!;
  await connect(page, 'digits_flat', dense);
  await connect(page, dense, output);
  await selectNode(page, dense);
  await setParam(page, 'units', '3');
  await expect(page.getByTestId(`node-shape-${dense}`)).toContainText('3');
  // 800 features · 3 + 3 = 2,403 trainable in the new head.
  await expect(page.getByTestId('frozen-params')).toHaveText('2,403 trainable · 4,800 frozen');

  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.getByTestId('pretrained-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifact(`pretrained-block-${w}x${h}.png`) });
  }
});

test('the "Fine-tune on your own images" template trains its head on the frozen Surface block', async ({
  app: page,
}) => {
  await openTemplate(page, 'fine-tune-images');
  await expect(page.getByTestId('node-lock-surface_conv1')).toBeVisible();
  await expect(page.getByTestId('node-lock-surface_conv3')).toBeVisible();
  await expect(page.getByTestId('node-lock-head')).toHaveCount(0);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 180_000,
  });
  await expect(page.getByTestId('train-status')).toContainText(/accuracy \d+(\.\d)?%/);
});

test('File › Import by mouse: a PyTorch CNN becomes a graph; lock layers, replace the head, train, export', async ({
  app: page,
  served,
}) => {
  page.on('dialog', (d) => void d.accept());
  const models = path.join(served.root, 'models');
  mkdirSync(models, { recursive: true });
  copyFileSync(
    path.join(REPO, 'test/import/fixtures/torch-cnn-bn.onnx'),
    path.join(models, 'torch-cnn-bn.onnx'),
  );
  writeFileSync(path.join(models, 'notes.onnx'), 'not a model, just text');

  // A file that is not a model: one sentence, no folder, nothing written.
  await page.getByTestId('import-model-button').click();
  const picker = page.getByRole('dialog', { name: /Import a model/ });
  await page.getByTestId('file-picker-entry-models').dblclick();
  await expect(page.getByTestId('file-picker-folder')).toHaveText('models');
  await page.getByTestId('file-picker-entry-notes.onnx').click();
  await page.getByTestId('file-picker-choose').click();
  await expect(picker).toHaveCount(0);
  const error = page.getByTestId('import-model-error');
  await expect(error).toHaveText(
    "notes.onnx can't be imported: the file is not an ONNX model (its bytes are not a ModelProto).×",
  );
  expect(await error.textContent()).not.toContain(served.root);
  await page.screenshot({ path: artifact('import-model-refused.png') });
  expect(readdirSync(models).sort()).toEqual(['notes.onnx', 'torch-cnn-bn.onnx']);
  await error.getByRole('button', { name: 'Dismiss' }).click();

  // The PyTorch CNN: imported beside the model file and opened.
  await page.getByTestId('import-model-button').click();
  await page.getByTestId('file-picker-entry-models').dblclick();
  await page.getByTestId('file-picker-entry-torch-cnn-bn.onnx').click();
  await page.getByTestId('file-picker-choose').click();
  await expect(page.getByTestId('node-conv1')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('project-path')).toContainText('torch-cnn-bn.netwright.json');
  expect(readdirSync(models).sort()).toEqual([
    'notes.onnx',
    'torch-cnn-bn.netwright.json',
    'torch-cnn-bn.onnx',
    'torch-cnn-bn.weights.bin',
  ]);
  await expect(page.locator('.react-flow')).toHaveAttribute('data-view-settled', 'yes');
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: artifact(`import-model-${w}x${h}.png`) });
  }

  // Lock the convolutions and the BatchNorm.
  for (const id of ['conv1', 'bn1', 'conv2']) {
    await selectNode(page, id);
    await page.getByTestId('trainable-toggle').click();
    await expect(page.getByTestId(`node-lock-${id}`)).toBeVisible();
  }

  // Replace the 3-class head with a 4-class one for the defect images (12×12, like the model's input).
  await selectNode(page, 'head');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('node-head')).toHaveCount(0);
  await dropLayer(page, 'Dense', 120, 120);
  const dense = ((await projectInPage(page)).graph.nodes as GraphNode[]).find((n) => n.type === 'Dense')!.id;
  await connect(page, 'flatten', dense);
  await connect(page, dense, 'y');
  await selectNode(page, dense);
  await setParam(page, 'units', '4');
  await page.getByTestId('inspector').getByTestId('param-activation').selectOption('softmax');
  await expect(page.getByTestId(`node-shape-${dense}`)).toContainText('4');

  await page.getByTestId('tab-data').click();
  await page.getByTestId('data-source').fill('builtin:defects');
  await page.getByTestId('data-source').press('Enter');
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill('2');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'complete', {
    timeout: 180_000,
  });
  await expect(page.getByTestId('train-status')).toContainText(/accuracy \d+(\.\d)?%/);

  await page.getByTestId('tab-export').click();
  await page.getByTestId('export-onnx-path').fill('models/defects-from-torch.onnx');
  await page.getByTestId('export-onnx-button').click();
  await expect(page.getByTestId('export-result')).toContainText('Parity passed', { timeout: 90_000 });
  expect(readdirSync(models)).toContain('defects-from-torch.onnx');
  await page.screenshot({ path: artifact('import-model-fine-tuned.png') });
});
