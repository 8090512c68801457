// The deployment model's last stage: the network's output decoded as `netwright predict` decodes it
// (engine/eval/predictions.ts): class label + probabilities for classification, values in the
// target's own units for regression and forecasts.
import type { Preprocessing } from '../../data/types.ts';
import type { Shape } from '../../layers/types.ts';
import type { InputStage } from './inputs.ts';
import type { PipelineBuilder } from './pipeline-builder.ts';
import type { PipelineOutput } from './types.ts';

const INTEGER = /^-?\d{1,15}$/;

/** The outputs the deployment model will have, before any node is emitted (their names are reserved). */
export function pipelineOutputs(prep: Preprocessing, networkShape: Shape): PipelineOutput[] {
  const cols = networkShape.reduce<number>((a, d) => a * (d ?? 1), 1);
  if (prep.task === 'classification') {
    const names = prep.classNames ?? [];
    const classes = cols === 1 ? 2 : cols;
    const numeric = names.length > 0 && names.every((n) => INTEGER.test(n));
    return [
      {
        name: 'label',
        type: numeric ? 'int64' : 'string',
        shape: [],
        doc: `The predicted class, one of ${names.map((n) => JSON.stringify(n)).join(', ')}.`,
      },
      {
        name: 'probabilities',
        type: 'float32',
        shape: [classes],
        doc: `Probability of each class, in the order ${names.map((n) => JSON.stringify(n)).join(', ')}.`,
      },
    ];
  }
  const targets = prep.targetNames?.length ? prep.targetNames.join(', ') : 'the target';
  return [
    {
      name: 'prediction',
      type: 'float32',
      shape: [cols],
      doc: `Predicted ${targets}, in the target's own units.`,
    },
  ];
}

export function emitDecoding(
  p: PipelineBuilder,
  prep: Preprocessing,
  networkOutput: string,
  networkShape: Shape,
  inputStage: InputStage,
): void {
  const scope = 'decode';
  const cols = networkShape.reduce<number>((a, d) => a * (d ?? 1), 1);
  const y =
    networkShape.length === 1
      ? networkOutput
      : p.op(scope, 'Reshape', [networkOutput, p.ints(scope, 'rows', [-1, cols])]);
  if (prep.task === 'classification') {
    const names = prep.classNames ?? [];
    let index: string;
    if (cols === 1) {
      // One sigmoid unit: P(second class); the class is the second when p > 0.5 (classIndices).
      const one = p.floats(scope, 'one', [1], []);
      const first = p.op(scope, 'Sub', [one, y], {}, 'Probability of the first class');
      p.opInto(scope, 'Concat', [first, y], 'probabilities', { axis: 1 });
      const above = p.op(scope, 'Greater', [y, p.floats(scope, 'half', [0.5], [])]);
      const flat = p.op(scope, 'Reshape', [above, p.ints(scope, 'flat', [-1])]);
      index = p.op(scope, 'Cast', [flat], { to: 7 });
    } else {
      p.opInto(scope, 'Identity', [y], 'probabilities');
      // The first of equal maxima, as argmaxRows picks.
      index = p.op(scope, 'ArgMax', [y], { axis: 1, keepdims: 0, select_last_index: 0 });
    }
    const classes = cols === 1 ? 2 : cols;
    const labels = Array.from({ length: classes }, (_, c) => names[c] ?? String(c));
    const table = labels.every((n) => INTEGER.test(n))
      ? p.ints(scope, 'class_labels', labels.map(Number))
      : p.strings(scope, 'class_names', labels);
    p.opInto(scope, 'Gather', [table, index], 'label', { axis: 0 }, 'Class index → class name');
    return;
  }
  let out = y;
  const s = prep.target;
  if (s) {
    if (s.scale.some((v) => v !== 1))
      out = p.op(scope, 'Mul', [out, p.floats(scope, 'target_scale', s.scale)]);
    if (s.offset.some((v) => v !== 0))
      out = p.op(scope, 'Add', [out, p.floats(scope, 'target_offset', s.offset)]);
  }
  const win = inputStage.rawWindow;
  if (win?.encoding.relative) {
    const { length, targetIndex } = win.encoding;
    const last = p.op(
      scope,
      'Slice',
      [
        win.name,
        p.ints(scope, 'last_start', [length - 1, targetIndex]),
        p.ints(scope, 'last_end', [length, targetIndex + 1]),
        p.ints(scope, 'last_axes', [1, 2]),
      ],
      {},
      "The forecast column's last value in the window",
    );
    const level = p.op(scope, 'Reshape', [last, p.ints(scope, 'level_shape', [-1, 1])]);
    out = p.op(scope, 'Add', [out, level], {}, 'Changes back to levels (data.window.relative)');
  }
  p.opInto(scope, 'Identity', [out], 'prediction');
}
