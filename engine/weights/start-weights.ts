// The weights a project's layers start from when it is trained or exported without training: its
// weights file (an imported model, docs/ARCHITECTURE.md, Weights), or none (seeded initialisation).
import path from 'node:path';
import type { Project } from '../project/schema.ts';
import type { StartWeights } from '../train/trainable-model.ts';
import { readProjectWeights } from './weights-file.ts';

export async function startWeightsOf(
  project: Project,
  projectPath: string | undefined,
): Promise<StartWeights | null> {
  if (!project.weights) return null;
  const dir = projectPath ? path.dirname(path.resolve(projectPath)) : process.cwd();
  const weights = await readProjectWeights(project, dir);
  return weights ? { weights, source: project.weights.file } : null;
}
