// The README.md of a trained run's tfjs export: the model in the tfjs layers format does not hold the
// preprocessing, so the export carries preprocessing.json and says here how to apply it (the ONNX
// export has it inside the model instead, docs/EXPORT.md).
import type { Preprocessing } from '../data/types.ts';

function inputSteps(prep: Preprocessing): string[] {
  return prep.encodings.flatMap((enc, i) => {
    switch (enc.kind) {
      case 'tabular':
        return [
          `- Model input ${i + 1}: one row per sample, from the columns ${enc.columns.map((c) => `\`${c.name}\``).join(', ')} in this order (\`encodings[${i}].columns\`).` +
            ` A numeric column is one slot; a categorical column is one slot per category (1 for its value, 0 otherwise; a blank or unseen value is all 0).` +
            ` A blank number takes \`inputs[${i}].fill[slot]\` (the training mean); then every slot becomes (x − \`inputs[${i}].offset[slot]\`) / \`inputs[${i}].scale[slot]\`.`,
        ];
      case 'image':
        return [
          `- Model input ${i + 1}: images of ${enc.height}×${enc.width}×${enc.channels} (NHWC), pixels divided by 255, then per channel (x − \`inputs[${i}].offset[c]\`) / \`inputs[${i}].scale[c]\`.`,
        ];
      case 'window':
        return [
          `- Model input ${i + 1}: the last ${enc.length} steps of ${enc.columns.map((c) => `\`${c}\``).join(', ')}, shape [N, ${enc.length}, ${enc.columns.length}]` +
            `${enc.relative ? ", each minus the window's last step (per feature)" : ''}, a blank taking \`inputs[${i}].fill[f]\`, then (x − \`inputs[${i}].offset[f]\`) / \`inputs[${i}].scale[f]\` per feature f.`,
        ];
      case 'raw':
        return [
          `- Model input ${i + 1}: shape [N, ${enc.shape.join(', ')}], (x − \`inputs[${i}].offset[k]\`) / \`inputs[${i}].scale[k]\` on the last axis.`,
        ];
    }
  });
}

function outputSteps(prep: Preprocessing): string {
  if (prep.task === 'classification')
    return `The output holds one probability per class in the order of \`classNames\` (${(prep.classNames ?? []).map((c) => `"${c}"`).join(', ')}); a single sigmoid unit is the probability of the second class.`;
  const rel = prep.encodings[0]?.kind === 'window' && prep.encodings[0].relative;
  return (
    `The output is in scaled units: ${prep.target ? 'y × `target.scale[k]` + `target.offset[k]`' : 'y as is'} gives ${(prep.targetNames ?? ['the target']).join(', ')} in its own units` +
    `${rel ? ", to which the window's last value of the forecast column is added" : ''}.`
  );
}

export function tfjsExportReadme(name: string, version: string, prep: Preprocessing): string {
  return [
    `# ${name}: tfjs layers model`,
    '',
    `Exported by Netwright ${version}. \`model.json\` + \`weights.bin\` are the standard tfjs layers format (\`tf.loadLayersModel\`).`,
    '',
    'The model does **not** include its preprocessing: apply `preprocessing.json` (fitted on the training split) to raw inputs first, as `netwright predict` does:',
    '',
    ...inputSteps(prep),
    '',
    outputSteps(prep),
    '',
    'The ONNX export of the same run (`netwright export <run> --onnx model.onnx`) has all of this inside the model and takes raw values.',
    '',
  ].join('\n');
}
