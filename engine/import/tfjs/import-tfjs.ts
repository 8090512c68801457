// tfjs layers format (model.json + weight shards, as tfjs saves and tensorflowjs_converter writes from
// Keras) → a Netwright graph with weights.
import type * as tfjs from '@tensorflow/tfjs';
import { unreadableModel, type ImportedModel } from '../import-types.ts';

export async function importTfjs(_tf: typeof tfjs, file: string, _bytes: Uint8Array): Promise<ImportedModel> {
  throw unreadableModel(`${file}: tfjs import is not available yet`);
}
