// The standard tfjs layers format on disk (model.json + weights.bin), without tfjs-node: pure tfjs
// has no file:// handler, so this is a small IOHandler over node:fs.
//
// The two files only make sense as a pair, so a save writes both into a temporary sibling folder and
// then swaps folders: the previous export is renamed to `<dir>.bak` and the new one into `<dir>`. A
// crash before the swap leaves the previous export untouched; a crash between the two renames leaves
// no `<dir>` but a whole `<dir>.bak`, which the loader falls back to.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { EngineError } from '../api.ts';
import { registerCustomLayers } from '../layers/registry.ts';
import { STALE_TEMP_MS, writeFileAtomic } from '../project/files.ts';

const WEIGHTS_FILE = 'weights.bin';
const MODEL_FILE = 'model.json';
/** What a save leaves in its folder: anything else in an existing folder is not ours to replace. */
const OWN_ENTRY =
  /^(model\.json|weights\.bin|preprocessing\.json|README\.md)(\.bak)?$|^\.(model\.json|weights\.bin|preprocessing\.json|README\.md)\.\d+\.[0-9a-f]+(\.bak)?\.tmp$/;
/** Files an export may carry beside the model (a trained run's preprocessing and how to apply it). */
export type ExtraExportFiles = Partial<Record<'preprocessing.json' | 'README.md', string>>;

export type SaveStep = 'weights-written' | 'previous-moved-aside';
/**
 * Test seam, never set by the app, the CLI or EngineApi: called at points of a save, so tests can make
 * it fail half-way (throw) and check what is left on disk.
 */
export const tfjsSaveTestSeam: { at?: (step: SaveStep) => void } = {};

const backupOf = (dir: string) => `${dir}.bak`;

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

/** Refuses to replace a folder that holds anything but a tfjs export (the user's other files). */
async function checkReplaceable(dir: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat) return;
  if (!stat.isDirectory()) {
    throw new EngineError({ code: 'invalid', message: `${dir} is a file; the tfjs export needs a folder.` });
  }
  const foreign = (await fs.readdir(dir)).filter((name) => !OWN_ENTRY.test(name));
  if (foreign.length) {
    throw new EngineError({
      code: 'invalid',
      message: `${dir} holds other files than a tfjs export (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}), and a tfjs export replaces the whole folder: choose a new or empty folder.`,
    });
  }
}

/** Removes the staging folders of saves that were killed (older than STALE_TEMP_MS). */
async function removeStaleStaging(parent: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  const isStaging = (n: string) =>
    n.startsWith(prefix) && /^\d+\.[0-9a-f]+\.tmp$/.test(n.slice(prefix.length));
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  for (const name of names.filter(isStaging)) {
    const full = path.join(parent, name);
    const stat = await fs.stat(full).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > STALE_TEMP_MS)
      await fs.rm(full, { recursive: true, force: true });
  }
}

/** Writes model.json + weights.bin into a sibling staging folder, then swaps it into place. */
async function writeExportFolder(
  dir: string,
  weights: Uint8Array,
  modelJson: string,
  extra: ExtraExportFiles = {},
): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  await checkReplaceable(target);
  await fs.mkdir(parent, { recursive: true });
  await removeStaleStaging(parent, base);
  const staging = path.join(parent, `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  await fs.mkdir(staging);
  try {
    await writeFileAtomic(path.join(staging, WEIGHTS_FILE), weights);
    tfjsSaveTestSeam.at?.('weights-written');
    await writeFileAtomic(path.join(staging, MODEL_FILE), modelJson);
    for (const [name, text] of Object.entries(extra)) await writeFileAtomic(path.join(staging, name), text);
    if (await exists(target)) {
      await fs.rm(backupOf(target), { recursive: true, force: true });
      await fs.rename(target, backupOf(target));
    }
    tfjsSaveTestSeam.at?.('previous-moved-aside');
    await fs.rename(staging, target);
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    // Put the previous export back if it was moved aside and the new one never arrived.
    if (!(await exists(target)) && (await exists(backupOf(target)))) {
      await fs.rename(backupOf(target), target).catch(() => undefined);
    }
    throw err;
  }
  try {
    const handle = await fs.open(parent, 'r');
    await handle.sync().finally(() => handle.close());
  } catch {
    // Directory fsync is not supported on every platform (Windows); the renames are still atomic.
  }
}

/** `dir`, or its `.bak` when a save was killed between moving the old export aside and renaming in the new. */
async function readableExportDir(dir: string): Promise<string> {
  if (!(await exists(dir)) && (await exists(path.join(backupOf(path.resolve(dir)), MODEL_FILE)))) {
    return backupOf(path.resolve(dir));
  }
  return dir;
}

/** An IOHandler that saves a LayersModel into `dir` (model.json + weights.bin). */
export function fileSaveHandler(
  tf: typeof tfjs,
  dir: string,
  extra: ExtraExportFiles = {},
): tfjs.io.IOHandler {
  return {
    async save(artifacts) {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const manifest = [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }];
      const modelJson: tfjs.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tfjs.io.ModelJSON['modelTopology'],
        weightsManifest: manifest,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: 'Netwright',
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await writeExportFolder(dir, new Uint8Array(weights), JSON.stringify(modelJson), extra);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** An IOHandler that loads a LayersModel saved in the standard tfjs layers format in `dir`. */
export function fileLoadHandler(tf: typeof tfjs, dir: string): tfjs.io.IOHandler {
  return {
    async load() {
      const from = await readableExportDir(dir);
      const modelJson = JSON.parse(
        await fs.readFile(path.join(from, MODEL_FILE), 'utf8'),
      ) as tfjs.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tfjs.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const buf = await fs.readFile(path.join(from, p));
            buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          }
        }
        return [specs, buffers];
      });
    },
  };
}

export async function saveLayersModel(
  tf: typeof tfjs,
  model: tfjs.LayersModel,
  dir: string,
  extra: ExtraExportFiles = {},
): Promise<void> {
  await model.save(fileSaveHandler(tf, dir, extra));
}

export async function loadLayersModel(tf: typeof tfjs, dir: string): Promise<tfjs.LayersModel> {
  registerCustomLayers(tf);
  return tf.loadLayersModel(fileLoadHandler(tf, dir));
}
