// The preview tells the editor how many model inputs each feature column encodes to (summary width),
// so the data panel can compare each Input's columns with its shape.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { previewData } from '../../engine/data/index.ts';
import { tempDir, writeFile } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

it('gives numeric columns width 1 and categorical ones one per category; the target has none', async () => {
  writeFile(
    dir,
    'parts.csv',
    ['size,colour,ok', '1,red,yes', '2,blue,no', '3,green,yes', '4,red,no'].join('\n'),
  );
  const p = await previewData(
    { source: 'csv:parts.csv', target: 'ok', inputs: { a: ['size'], b: ['colour'] } } as never,
    dir,
  );
  expect(p.summary.size).toMatchObject({ role: 'feature', width: 1 });
  expect(p.summary.colour).toMatchObject({ role: 'feature', width: 3 });
  expect(p.summary.ok).not.toHaveProperty('width');
});
