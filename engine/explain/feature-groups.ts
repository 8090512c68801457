// The model-input slots that belong to each source column, so a column's one-hot slots are
// shuffled together (permutation) and their attributions summed (integrated gradients). A table
// split over several Inputs (data.inputs) has each column in exactly one Input.
import type { Preprocessing } from '../data/types.ts';

export interface FeatureGroup {
  name: string;
  /** Index of the model input holding the column. */
  input: number;
  /** Its positions on that input's last axis. */
  slots: number[];
}

/** One group per source column; null when the inputs have no per-column meaning (images, raw signals). */
export function featureGroups(prep: Preprocessing): FeatureGroup[] | null {
  const groups: FeatureGroup[] = [];
  for (const [input, enc] of prep.encodings.entries()) {
    if (enc.kind === 'tabular') {
      let slot = 0;
      for (const c of enc.columns) {
        const width = c.kind === 'numeric' ? 1 : c.categories.length;
        groups.push({ name: c.name, input, slots: Array.from({ length: width }, (_, k) => slot + k) });
        slot += width;
      }
    } else if (enc.kind === 'window') {
      enc.columns.forEach((name, j) => groups.push({ name, input, slots: [j] }));
    } else return null;
  }
  return groups;
}
