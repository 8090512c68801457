// Whether a data source is a CSV file large enough to be streamed (engine/data/stream/threshold.ts).
import { promises as fs } from 'node:fs';
import { parseSource } from '../load.ts';
import type { DataSpec } from '../types.ts';
import { streamThresholdBytes } from './threshold.ts';

/**
 * The file behind a csv: source that is streamed: above the threshold, one model input, no
 * data.window and no data.inputs (those read the table whole). Null otherwise.
 */
export async function streamedCsvFile(
  spec: DataSpec,
  projectDir: string,
  inputCount: number,
): Promise<string | null> {
  if (spec.window || spec.inputs !== undefined || inputCount !== 1) return null;
  const src = parseSource(spec.source, projectDir);
  if (src.kind !== 'csv') return null;
  const size = await fs.stat(src.file).then(
    (s) => (s.isFile() ? s.size : 0),
    () => 0,
  );
  return size > streamThresholdBytes() ? src.file : null;
}
