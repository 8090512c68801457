import { afterEach, beforeEach, expect, it } from 'vitest';
import { EngineError } from '../../engine/api.ts';
import { createEngine } from '../../engine/service.ts';
import { tempDir, writeFile } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

it('EngineApi.previewData resolves paths beside the project and turns bad data into EngineError', async () => {
  const engine = createEngine();
  writeFile(dir, 'data/loans.csv', 'income,approved\n10,no\n20,yes\n');
  const p = await engine.previewData({ source: 'csv:data/loans.csv' }, `${dir}/loans.netwright.json`);
  expect(p.count).toBe(2);
  expect(p.classBalance).toEqual({ no: 1, yes: 1 });
  writeFile(dir, 'data/ragged.csv', 'a,b\n1\n');
  const e = await engine
    .previewData({ source: 'csv:data/ragged.csv' }, `${dir}/x.netwright.json`)
    .catch((x: unknown) => x);
  expect(e).toBeInstanceOf(EngineError);
  expect((e as EngineError).data).toEqual({
    code: 'invalid',
    message: 'ragged.csv row 2 has 1 value but the header has 2 columns; column "b" has no value.',
  });
});
