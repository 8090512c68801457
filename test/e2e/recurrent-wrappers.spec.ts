// A Bidirectional layer from the palette: wired after a sequence Input it shows the merged shape
// (concat doubles the units), its inspector names the wrapped layer and merge with the equation, and
// changing the merge to sum halves the shape. Screenshots at 1280×800 and 1440×900.
import {
  artifact,
  connect,
  dropLayer,
  expect,
  openTemplate,
  selectNode,
  setParam,
  test,
} from './support/fixtures.ts';

test('a Bidirectional LSTM from the palette: merged shape, inspector with its equation, merge mode', async ({
  app: page,
}) => {
  await openTemplate(page, 'blank');
  await dropLayer(page, 'Input', 220, 150);
  await dropLayer(page, 'Bidirectional', 520, 330);
  // A sequence first: the canvas refuses to connect an input the layer can't read.
  await selectNode(page, 'input1');
  await setParam(page, 'shape', '30, 1');
  await connect(page, 'input1', 'bidirectional1');
  // 32 units each way, concatenated.
  await expect(page.getByTestId('node-shape-bidirectional1')).toHaveText('[?, 64]');
  await selectNode(page, 'bidirectional1');
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('h←_t = RNN←(x_T … x_t)');
  await expect(inspector.getByTestId('param-layer')).toHaveValue('LSTM');
  await inspector.getByTestId('param-mergeMode').selectOption('sum');
  await expect(page.getByTestId('node-shape-bidirectional1')).toHaveText('[?, 32]');
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: artifact(`bidirectional-inspector-${w}x${h}.png`) });
  }
});
