// The weights a project's layers start from when it is trained or exported without training
// (docs/ARCHITECTURE.md, Weights): its own weights file (an imported model), then each `startFrom`
// source in order, limited to the nodes it names; layers nothing covers keep the seeded initialisation.
import path from 'node:path';
import { EngineError } from '../api.ts';
import type { Project } from '../project/schema.ts';
import type { StartWeights } from '../train/trainable-model.ts';
import { splitWeightName, weightName, type NamedWeights } from './named-weights.ts';
import { pretrainedWeights, PRETRAINED_PREFIX } from './pretrained.ts';
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
  /** `here`: source node id → this project's node id (identity without a `from` map). */
  const take = (from: NamedWeights, source: string, nodes?: string[], here = (id: string) => id) => {
    for (const [name, w] of from) {
      const { nodeId, weight } = splitWeightName(name);
      const id = here(nodeId);
      if (nodes && !nodes.includes(id)) continue;
      weights.set(weightName(id, weight), w);
      origin.set(weightName(id, weight), source);
    }
  };
  if (project.weights) take((await readProjectWeights(project, dir))!, project.weights.file);
  for (const entry of project.startFrom ?? []) {
    const from = entry.source.startsWith(PRETRAINED_PREFIX)
      ? await pretrainedWeights(entry.source.slice(PRETRAINED_PREFIX.length))
      : await readSourceWeights(dir, entry.source);
    const toHere = new Map(Object.entries(entry.from ?? {}).map(([mine, theirs]) => [theirs, mine]));
    const here = (id: string) => toHere.get(id) ?? id;
    const has = new Set([...from.keys()].map((name) => here(splitWeightName(name).nodeId)));
    const missing = (entry.nodes ?? []).filter((id) => !has.has(id));
    if (missing.length)
      throw new EngineError({
        code: 'invalid',
        message: `${missing.map((id) => `Node ${id}`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no weights in ${entry.source} (it has weights for ${[...has].join(', ') || 'no node'}).`,
      });
    take(from, entry.source, entry.nodes, here);
  }
  return { weights, source: (name) => origin.get(name) ?? 'the start weights' };
}
