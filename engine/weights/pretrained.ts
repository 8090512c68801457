// Pretrained blocks shipped in resources/pretrained/ (docs/ARCHITECTURE.md, "Pretrained blocks"):
// each `<id>.netwright.json` is the whole project bench/pretrained-blocks.ts trained, with its
// weights file beside it and a top-level `block` naming the nodes the palette inserts. A project
// reaches a block's weights through a startFrom source `pretrained:<id>`.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError, type PretrainedBlockInfo } from '../api.ts';
import { readProjectFile } from '../project/files.ts';
import type { Project } from '../project/schema.ts';
import { splitWeightName, type NamedWeights } from './named-weights.ts';
import { readProjectWeights } from './weights-file.ts';

export const PRETRAINED_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../resources/pretrained',
);
export const PRETRAINED_PREFIX = 'pretrained:';
const SUFFIX = '.netwright.json';

/** What the `block` key of a shipped block's project says. */
export interface BlockMeta {
  label: string;
  description: string;
  trainedOn: string;
  /** The node ids the palette inserts (the Input and the feature layers, not the trained head). */
  nodes: string[];
}

const notFound = (id: string) =>
  new EngineError({ code: 'not-found', message: `There is no pretrained block called "${id}".` });

export function pretrainedPath(id: string): string {
  if (!/^[a-z0-9-]{1,64}$/.test(id)) throw notFound(id);
  return path.join(PRETRAINED_DIR, id + SUFFIX);
}

async function readBlockProject(id: string): Promise<Project & { block: BlockMeta }> {
  const read = await readProjectFile(pretrainedPath(id)).catch(() => null);
  if (!read?.ok) throw notFound(id);
  const block = (read.project as { block?: BlockMeta }).block;
  if (!block || !Array.isArray(block.nodes)) throw notFound(id);
  return read.project as Project & { block: BlockMeta };
}

export async function pretrainedWeights(id: string): Promise<NamedWeights> {
  const project = await readBlockProject(id);
  return (await readProjectWeights(project, PRETRAINED_DIR)) ?? new Map();
}

export async function listPretrained(): Promise<PretrainedBlockInfo[]> {
  const files = (await fs.readdir(PRETRAINED_DIR).catch(() => [])).filter((f) => f.endsWith(SUFFIX)).sort();
  const out: PretrainedBlockInfo[] = [];
  for (const file of files) {
    const id = file.slice(0, -SUFFIX.length);
    const project = await readBlockProject(id).catch(() => null);
    if (!project) continue;
    const keep = new Set(project.block.nodes);
    const weighted = new Set((project.weights?.tensors ?? []).map((t) => splitWeightName(t.name).nodeId));
    out.push({
      id,
      label: project.block.label,
      description: project.block.description,
      trainedOn: project.block.trainedOn,
      graph: {
        nodes: project.graph.nodes.filter((n) => keep.has(n.id)),
        edges: project.graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
      },
      weighted: project.block.nodes.filter((n) => weighted.has(n)),
    });
  }
  return out;
}
