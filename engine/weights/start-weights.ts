// The weights a project's layers start from when it is trained or exported without training
// (docs/ARCHITECTURE.md, Weights): its own weights file (an imported model), then each `startFrom`
// source in order, limited to the nodes it names; layers nothing covers keep the seeded initialisation.
import path from 'node:path';
import { EngineError } from '../api.ts';
import type { Project } from '../project/schema.ts';
import type { StartWeights } from '../train/trainable-model.ts';
import { splitWeightName, type NamedWeights } from './named-weights.ts';
import { readSourceWeights } from './source-weights.ts';
import { readProjectWeights } from './weights-file.ts';

export async function startWeightsOf(
  project: Project,
  projectPath: string | undefined,
): Promise<StartWeights | null> {
  if (!project.weights && !project.startFrom?.length) return null;
  const dir = projectPath ? path.dirname(path.resolve(projectPath)) : process.cwd();
  const weights: NamedWeights = new Map();
  const origin = new Map<string, string>();
  const take = (from: NamedWeights, source: string, nodes?: string[]) => {
    for (const [name, w] of from) {
      if (nodes && !nodes.includes(splitWeightName(name).nodeId)) continue;
      weights.set(name, w);
      origin.set(name, source);
    }
  };
  if (project.weights) take((await readProjectWeights(project, dir))!, project.weights.file);
  for (const entry of project.startFrom ?? []) {
    const from = await readSourceWeights(dir, entry.source);
    const has = new Set([...from.keys()].map((name) => splitWeightName(name).nodeId));
    const missing = (entry.nodes ?? []).filter((id) => !has.has(id));
    if (missing.length)
      throw new EngineError({
        code: 'invalid',
        message: `${missing.map((id) => `Node ${id}`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no weights in ${entry.source} (it has weights for ${[...has].join(', ') || 'no node'}).`,
      });
    take(from, entry.source, entry.nodes);
  }
  return { weights, source: (name) => origin.get(name) ?? 'the start weights' };
}
