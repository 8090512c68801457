// The weights file beside a project (docs/ARCHITECTURE.md, Weights): float32 little-endian tensors one
// after the other, described by the project's `weights` section. Reading checks the file against that
// description, so a truncated or foreign file is one sentence, never garbage weights.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Project, WeightsRef } from '../project/schema.ts';
import { EngineError } from '../api.ts';
import { writeFileAtomic } from '../project/files.ts';
import { elementsOf, type NamedWeights } from './named-weights.ts';

/** `iris.netwright.json` → `iris.weights.bin`. */
export function weightsFileFor(projectFile: string): string {
  return `${path.basename(projectFile).replace(/(\.netwright)?\.json$/i, '')}.weights.bin`;
}

/** The bytes of a weights file and the section that describes it. */
export function encodeWeights(weights: NamedWeights, file: string): { ref: WeightsRef; bytes: Uint8Array } {
  const entries = [...weights.entries()];
  const total = entries.reduce((n, [, w]) => n + w.data.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const [, w] of entries) {
    all.set(w.data, at);
    at += w.data.length;
  }
  const bytes = new Uint8Array(all.buffer);
  const ref = { file, tensors: entries.map(([name, w]) => ({ name, shape: [...w.shape] })) };
  return { ref, bytes };
}

export function decodeWeights(ref: WeightsRef, bytes: Uint8Array): NamedWeights {
  const expected = ref.tensors.reduce((n, t) => n + elementsOf(t.shape), 0) * 4;
  if (bytes.byteLength !== expected)
    throw new EngineError({
      code: 'invalid',
      message: `The weights file ${ref.file} holds ${bytes.byteLength} bytes, but the project's weights section describes ${expected}; it belongs to another version of the project.`,
    });
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: NamedWeights = new Map();
  let at = 0;
  for (const t of ref.tensors) {
    const n = elementsOf(t.shape);
    out.set(t.name, { shape: [...t.shape], data: floats.subarray(at, at + n) });
    at += n;
  }
  return out;
}

/** The weights a project's `weights` section names, read from beside the project; null without one. */
export async function readProjectWeights(project: Project, projectDir: string): Promise<NamedWeights | null> {
  const ref = project.weights;
  if (!ref) return null;
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(projectDir, ref.file));
  } catch {
    throw new EngineError({
      code: 'not-found',
      message: `The project's weights file ${ref.file} is missing; it must sit beside the project file.`,
    });
  }
  return decodeWeights(ref, bytes);
}

/**
 * Save As into another folder: the project's weights file travels with it, so the saved copy opens
 * with its weights. A different file of the same name already there is not overwritten.
 */
export async function carryWeightsFile(
  project: Project,
  fromProject: string,
  toProject: string,
): Promise<void> {
  const ref = project.weights;
  const fromDir = path.dirname(path.resolve(fromProject));
  const toDir = path.dirname(path.resolve(toProject));
  if (!ref || fromDir === toDir) return;
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(fromDir, ref.file));
  } catch {
    throw new EngineError({
      code: 'not-found',
      message: `The project's weights file ${ref.file} is missing beside the project it was opened from, so the copy would have no weights.`,
    });
  }
  const target = path.join(toDir, ref.file);
  const existing = await fs.readFile(target).catch(() => null);
  if (existing && !existing.equals(bytes))
    throw new EngineError({
      code: 'invalid',
      message: `The folder you are saving into already has a different ${ref.file}; save under another name or into another folder.`,
    });
  if (!existing) await writeFileAtomic(target, bytes, { backup: false });
}
