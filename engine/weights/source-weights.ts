// The weights of a `startFrom` source, read without tfjs: a run folder (its model/), a tfjs model.json,
// or a project with a weights file. Sources resolve inside the project's folder, symlinks included
// (engine/safety/paths.ts), so a project file can't make the app read beside it what it couldn't open.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../api.ts';
import { projectFromText } from '../project/load.ts';
import { resolveInside } from '../safety/paths.ts';
import { elementsOf, type NamedWeights } from './named-weights.ts';
import { readProjectWeights } from './weights-file.ts';

interface ManifestGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype?: string; quantization?: unknown }[];
}

const unreadable = (source: string, why: string) =>
  new EngineError({ code: 'unreadable', message: `The startFrom source ${source} ${why}.` });

/** model.json's weights, by the names tfjs gave them (a Netwright run's are `<node id>/<weight>`). */
async function tfjsWeights(source: string, modelJson: string): Promise<NamedWeights> {
  let manifest: ManifestGroup[];
  try {
    manifest = (JSON.parse(await fs.readFile(modelJson, 'utf8')) as { weightsManifest: ManifestGroup[] })
      .weightsManifest;
    if (!Array.isArray(manifest)) throw new Error('no manifest');
  } catch {
    throw unreadable(source, 'has no readable tfjs model.json');
  }
  const dir = path.dirname(modelJson);
  const out: NamedWeights = new Map();
  for (const group of manifest) {
    const shards = await Promise.all(
      group.paths.map(async (p) => fs.readFile(await resolveInside(dir, p)).catch(() => null)),
    );
    if (shards.some((s) => s === null))
      throw unreadable(source, 'is missing a weights file its model.json lists');
    const bytes = Buffer.concat(shards as Buffer[]);
    let at = 0;
    for (const w of group.weights) {
      if ((w.dtype ?? 'float32') !== 'float32' || w.quantization)
        throw unreadable(
          source,
          `stores ${w.name} as ${w.quantization ? 'quantised' : w.dtype} values; only float32 weights can start a layer`,
        );
      const n = elementsOf(w.shape);
      if (at + n * 4 > bytes.byteLength)
        throw unreadable(source, 'has a weights file shorter than its model.json says');
      out.set(w.name, {
        shape: [...w.shape],
        data: new Float32Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + n * 4)),
      });
      at += n * 4;
    }
  }
  return out;
}

export async function readSourceWeights(projectDir: string, source: string): Promise<NamedWeights> {
  const full = await resolveInside(projectDir, source);
  const stat = await fs.stat(full).catch(() => null);
  if (!stat) throw unreadable(source, 'does not exist (paths are relative to the project file)');
  if (stat.isDirectory()) {
    const inRun = path.join(full, 'model', 'model.json');
    const direct = path.join(full, 'model.json');
    const modelJson = (await fs.stat(inRun).catch(() => null)) ? inRun : direct;
    return tfjsWeights(source, modelJson);
  }
  const text = await fs.readFile(full, 'utf8').catch(() => '');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw unreadable(source, 'is not a run folder, a project or a tfjs model.json');
  }
  if (doc && typeof doc === 'object' && 'weightsManifest' in doc) return tfjsWeights(source, full);
  const loaded = projectFromText(text);
  if (!loaded.ok) throw unreadable(source, 'is not a run folder, a project or a tfjs model.json');
  const weights = await readProjectWeights(loaded.project, path.dirname(full));
  if (!weights) throw unreadable(source, 'is a project without weights (train it, or import a model)');
  return weights;
}
