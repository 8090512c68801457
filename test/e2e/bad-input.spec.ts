// Bad input through the UI (issue 8): a malformed or invalid project opened from the web Open dialog
// or dropped onto the window, and a data source that does not exist, each get one clear sentence
// naming the problem, and the graph on the canvas stays exactly as it was.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, projectInPage } from './support/fixtures.ts';

const EDGE_TO_NOWHERE = JSON.stringify({
  format: 'netwright',
  version: 1,
  name: 'Broken edges',
  graph: {
    nodes: [{ id: 'in', type: 'Input', params: { shape: [4] } }],
    edges: [{ id: 'e1', source: 'in', target: 'ghost' }],
  },
});

async function openThroughDialog(page: Page, file: string): Promise<void> {
  await page.getByTestId('open-button').click();
  await page.getByTestId('open-path').fill(file);
  await page.getByTestId('open-submit').click();
}

/** Drop a file onto the window the way the browser delivers it (a drop event carrying a File). */
async function dropFile(page: Page, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([n, t]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], n, { type: 'application/json' }));
      return dt;
    },
    [name, text],
  );
  await page.locator('.app').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.locator('.app').dispatchEvent('drop', { dataTransfer: transfer });
}

test('a malformed or invalid project from the Open dialog is refused with the reason; the graph stays', async ({
  app: page,
  served,
}) => {
  writeFileSync(path.join(served.root, 'truncated.netwright.json'), '{"format": "netwright", "graph": {"nod');
  writeFileSync(path.join(served.root, 'edges.netwright.json'), EDGE_TO_NOWHERE);
  const before = await projectInPage(page);
  const notice = page.getByTestId('notice');

  await openThroughDialog(page, 'truncated.netwright.json');
  await expect(notice).toContainText('truncated.netwright.json');
  await expect(notice).toContainText(/JSON/);
  await expect(notice).toBeVisible();
  expect(await projectInPage(page)).toEqual(before);

  await page.getByTestId('open-path').fill('edges.netwright.json');
  await page.getByTestId('open-submit').click();
  await expect(notice).toContainText('ghost');
  expect(await projectInPage(page)).toEqual(before);

  await page.getByTestId('open-path').fill('no-such-project.netwright.json');
  await page.getByTestId('open-submit').click();
  await expect(notice).toContainText('no-such-project.netwright.json');
  expect(await projectInPage(page)).toEqual(before);
});

test('a dropped file that is not a valid project is refused with the reason; the graph stays', async ({
  app: page,
}) => {
  const before = await projectInPage(page);
  const notice = page.getByTestId('notice');

  await dropFile(page, 'junk.netwright.json', '\u0000\u0001PK binary junk');
  await expect(notice).toContainText('junk.netwright.json is not a Netwright project: it is not valid JSON.');
  expect(await projectInPage(page)).toEqual(before);

  await dropFile(page, 'edges.netwright.json', EDGE_TO_NOWHERE);
  await expect(notice).toContainText('edges.netwright.json is not a valid project');
  await expect(notice).toContainText('ghost');
  expect(await projectInPage(page)).toEqual(before);
});

test('a data source that does not exist is reported in the data panel; the graph stays', async ({
  app: page,
}) => {
  const before = await projectInPage(page);
  await page.getByTestId('tab-data').click();
  const source = page.getByTestId('data-source');
  await source.fill('csv:missing/flowers.csv');
  await source.press('Enter');
  const alert = page.locator('.data-panel').getByRole('alert');
  await expect(alert).toContainText('flowers.csv');
  await expect(page.getByTestId('data-preview')).toHaveCount(0);
  const after = await projectInPage(page);
  expect(after.graph).toEqual(before.graph);
  await expect(page.locator('.react-flow__node')).toHaveCount(before.graph.nodes.length);
});
