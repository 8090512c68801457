// model.py and weights/ (one .npy per state_dict key) for a tfjs model of a graph.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import type { InspectResult } from '../graph/inspect.ts';
import { modelPy } from './model-py.ts';
import { encodeNpy } from './npy.ts';
import { torchGraph } from './torch-graph.ts';
import { torchState } from './weights.ts';

export async function writeModelFiles(
  dir: string,
  inspection: InspectResult,
  model: tfjs.LayersModel,
  projectName: string,
  frozen: ReadonlySet<string> = new Set(),
): Promise<{ className: string; parameters: number }> {
  const g = torchGraph(inspection, frozen);
  const { source, className } = modelPy(g, projectName);
  const state = torchState(g, model);
  await fs.mkdir(path.join(dir, 'weights'), { recursive: true });
  await fs.writeFile(path.join(dir, 'model.py'), source);
  let parameters = 0;
  for (const [key, t] of state) {
    await fs.writeFile(path.join(dir, 'weights', `${key}.npy`), encodeNpy(t));
    parameters += t.data.length;
  }
  return { className, parameters };
}
