// The standard tfjs layers format on disk (model.json + weights.bin), without tfjs-node: pure tfjs
// has no file:// handler, so this is a small IOHandler over node:fs. Files are written atomically.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { writeFileAtomic } from '../project/files.ts';

const WEIGHTS_FILE = 'weights.bin';

/** An IOHandler that saves a LayersModel into `dir` (model.json + weights.bin). */
export function fileSaveHandler(tf: typeof tfjs, dir: string): tfjs.io.IOHandler {
  return {
    async save(artifacts) {
      await fs.mkdir(dir, { recursive: true });
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
      await writeFileAtomic(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
      await writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** An IOHandler that loads a LayersModel saved in the standard tfjs layers format in `dir`. */
export function fileLoadHandler(tf: typeof tfjs, dir: string): tfjs.io.IOHandler {
  return {
    async load() {
      const modelJson = JSON.parse(
        await fs.readFile(path.join(dir, 'model.json'), 'utf8'),
      ) as tfjs.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tfjs.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const buf = await fs.readFile(path.join(dir, p));
            buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          }
        }
        return [specs, buffers];
      });
    },
  };
}

export async function saveLayersModel(tf: typeof tfjs, model: tfjs.LayersModel, dir: string): Promise<void> {
  await model.save(fileSaveHandler(tf, dir));
}

export async function loadLayersModel(tf: typeof tfjs, dir: string): Promise<tfjs.LayersModel> {
  return tf.loadLayersModel(fileLoadHandler(tf, dir));
}
