// EngineApi.exportModel (what the app's Export button calls) exports with the parity check.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createEngine } from '../../engine/service.ts';
import { EngineError } from '../../engine/api.ts';

it('exportModel writes a checked ONNX file and the tfjs format, and refuses an empty request', async () => {
  const engine = createEngine();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nw-export-api-'));
  const project = await engine.loadExample('mnist-cnn');
  const result = await engine.exportModel({
    project,
    onnxPath: path.join(dir, 'm.onnx'),
    tfjsDir: path.join(dir, 'tfjs'),
    seed: 1,
  });
  expect(result.parity?.passed).toBe(true);
  expect(result.parity!.maxAbsDiff).toBeLessThanOrEqual(1e-4);
  expect(result.onnxBytes).toBeGreaterThan(800_000); // 225,034 float32 weights
  expect(existsSync(path.join(dir, 'm.onnx'))).toBe(true);
  expect(existsSync(path.join(dir, 'tfjs', 'model.json'))).toBe(true);
  await expect(engine.exportModel({ project })).rejects.toBeInstanceOf(EngineError);
});
