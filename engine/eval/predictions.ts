// The network's raw output decoded into what `netwright predict` reports: a class with its
// probabilities, or values in the target's own units. The ONNX deployment model decodes the same way
// (engine/onnx/pipeline/outputs.ts) and its parity check compares against this.
import { invertTarget } from '../data/index.ts';
import type { Preprocessing, TensorData } from '../data/types.ts';
import { classIndices } from './evaluate.ts';

export type Prediction =
  | { row: string; className: string; probability: number; probabilities: Record<string, number> }
  | { row: string; values: Record<string, number> };

/** `rawX`: the unscaled inputs the output came from (a relative window's levels need them). */
export function decodePredictions(
  prep: Preprocessing,
  output: TensorData,
  rawX: TensorData[],
  rowLabels: string[],
): Prediction[] {
  const cols = output.shape.slice(1).reduce((a, b) => a * b, 1);
  if (prep.task === 'classification') {
    const names = prep.classNames ?? [];
    const picks = classIndices(output);
    return rowLabels.map((row, i) => {
      const probs: Record<string, number> = {};
      if (cols === 1) {
        const p = output.data[i];
        probs[names[0] ?? '0'] = 1 - p;
        probs[names[1] ?? '1'] = p;
      } else for (let c = 0; c < cols; c++) probs[names[c] ?? String(c)] = output.data[i * cols + c];
      const className = names[picks[i]] ?? String(picks[i]);
      return { row, className, probability: probs[className], probabilities: probs };
    });
  }
  const values = invertTarget(prep, output, rawX);
  const names = prep.targetNames ?? [];
  return rowLabels.map((row, i) => {
    const v: Record<string, number> = {};
    for (let c = 0; c < cols; c++)
      v[names[c] ?? (cols === 1 ? 'value' : `t+${c + 1}`)] = values.data[i * cols + c];
    return { row, values: v };
  });
}
