// An ONNX import checked against the file itself, run in onnxruntime-node (verify-import.ts).
import type * as tfjs from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import type { ImportedModel } from './import-types.ts';
import { verifyImport, type ImportParity } from './verify-import.ts';

export async function verifyOnnxImport(
  tf: typeof tfjs,
  imported: ImportedModel,
  bytes: Uint8Array,
): Promise<ImportParity> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await verifyImport(tf, imported, async (feeds) => {
      const result = await session.run(
        Object.fromEntries(
          Object.entries(feeds).map(([name, f]) => [name, new ort.Tensor('float32', f.data, f.dims)]),
        ),
      );
      return Object.fromEntries(Object.entries(result).map(([name, t]) => [name, t.data as Float32Array]));
    });
  } finally {
    await session.release();
  }
}
