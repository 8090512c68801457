// The deployment model's first stage: raw inputs as a user has them (one tensor per table column,
// images in 0–255, raw windows) turned into exactly what the network was trained on, the fitted
// preprocessing of the run (engine/data/preprocess.ts) replayed in ONNX ops.
import type { FeatureScaler, InputEncoding, Preprocessing } from '../../data/types.ts';
import type { Shape } from '../../layers/types.ts';
import type { PipelineBuilder } from './pipeline-builder.ts';
import type { PipelineInput } from './types.ts';

export const ML_DOMAIN = 'ai.onnx.ml';
const PIXEL_MAX = 255;

type WindowEncoding = Extract<InputEncoding, { kind: 'window' }>;

/** The graph inputs of the deployment model, in order: every column of every model input, or one tensor. */
export function pipelineInputs(prep: Preprocessing): PipelineInput[] {
  return prep.encodings.flatMap((enc, i): PipelineInput[] => {
    switch (enc.kind) {
      case 'tabular':
        return enc.columns.map((c, k) =>
          c.kind === 'numeric'
            ? {
                name: c.name,
                type: 'float32',
                shape: [1],
                doc: `Column "${c.name}", one number per row; NaN for a blank (the training mean ${round(prep.inputs[i].fill[slotOf(enc, k)])} is used).`,
              }
            : {
                name: c.name,
                type: 'string',
                shape: [1],
                doc: `Column "${c.name}", one of ${c.categories.map((v) => JSON.stringify(v)).join(', ')}; a blank or any other value counts as no category.`,
              },
        );
      case 'image':
        return [
          {
            name: 'image',
            type: 'float32',
            shape: [enc.height, enc.width, enc.channels],
            doc: `Images of ${enc.height}×${enc.width} pixels, ${enc.channels === 1 ? 'grayscale' : 'RGB'}, NHWC, values 0–255 (uint8 pixels cast to float32).`,
          },
        ];
      case 'window':
        return [
          {
            name: 'window',
            type: 'float32',
            shape: [enc.length, enc.columns.length],
            doc: `The last ${enc.length} steps of ${enc.columns.map((c) => `"${c}"`).join(', ')}, oldest first, in the series' own units.`,
          },
        ];
      case 'raw':
        return [
          {
            name: 'signal',
            type: 'float32',
            shape: [...enc.shape],
            doc: 'The raw signal, as the dataset holds it.',
          },
        ];
    }
  });
}

const round = (v: number) => Number(v.toPrecision(6));

/** Index of column k's first slot in a tabular input (categorical columns take one slot per category). */
function slotOf(enc: Extract<InputEncoding, { kind: 'tabular' }>, k: number): number {
  let slot = 0;
  for (let j = 0; j < k; j++) {
    const c = enc.columns[j];
    slot += c.kind === 'numeric' ? 1 : c.categories.length;
  }
  return slot;
}

export interface InputStage {
  usesMlDomain: boolean;
  /** The raw window tensor, for a relative forecast's output stage (levels = changes + last value). */
  rawWindow?: { name: string; encoding: WindowEncoding };
}

/**
 * Emits the preprocessing: `into[i]` (the network's i-th input tensor, shape `shapes[i]`) is computed
 * from the graph inputs named by `pipelineInputs(prep)`.
 */
export function emitPreprocessing(
  p: PipelineBuilder,
  prep: Preprocessing,
  into: string[],
  shapes: Shape[],
): InputStage {
  const stage: InputStage = { usesMlDomain: false };
  prep.encodings.forEach((enc, i) => {
    const scope = `preprocess/${i}`;
    const scaler = prep.inputs[i];
    let x: string;
    switch (enc.kind) {
      case 'tabular': {
        const pieces = enc.columns.map((c) => {
          if (c.kind === 'numeric') return c.name;
          stage.usesMlDomain = true;
          // zeros = 1: an unseen value or a blank ("") encodes as all-zero slots, as `predict` does.
          const hot = p.op(
            `${scope}/${c.name}`,
            'OneHotEncoder',
            [c.name],
            { cats_strings: c.categories, zeros: 1 },
            `One-hot encoding of column "${c.name}"`,
            ML_DOMAIN,
          );
          p.declareFloat(hot, [null, 1, c.categories.length]);
          return p.op(`${scope}/${c.name}`, 'Reshape', [
            hot,
            p.ints(scope, 'onehot_shape', [-1, c.categories.length]),
          ]);
        });
        x =
          pieces.length === 1
            ? pieces[0]
            : p.op(scope, 'Concat', pieces, { axis: 1 }, 'Columns in training order');
        x = scaleLastAxis(p, scope, x, scaler);
        break;
      }
      case 'image':
        x = p.op(scope, 'Div', ['image', p.floats(scope, 'pixel_max', [PIXEL_MAX], [])]);
        x = scaleLastAxis(p, scope, x, scaler);
        break;
      case 'window': {
        x = 'window';
        stage.rawWindow = { name: 'window', encoding: enc };
        if (enc.relative) {
          const last = p.op(
            scope,
            'Slice',
            [
              'window',
              p.ints(scope, 'last_start', [enc.length - 1]),
              p.ints(scope, 'last_end', [enc.length]),
              p.ints(scope, 'time_axis', [1]),
            ],
            {},
            "The window's last step",
          );
          x = p.op(
            scope,
            'Sub',
            ['window', last],
            {},
            'Each window relative to its last step (data.window.relative)',
          );
        }
        x = scaleLastAxis(p, scope, x, scaler);
        break;
      }
      case 'raw':
        x = scaleLastAxis(p, scope, 'signal', scaler);
        break;
    }
    const shape = shapes[i];
    if (enc.kind === 'tabular' && shape.length !== 1)
      p.opInto(
        scope,
        'Reshape',
        [x, p.ints(scope, 'input_shape', [-1, ...shape.map((d) => d ?? -1)])],
        into[i],
      );
    else p.opInto(scope, 'Identity', [x], into[i]);
  });
  return stage;
}

/** (x with NaN → the training mean − offset) / scale on the last axis, the ops skipped where they are identities. */
function scaleLastAxis(p: PipelineBuilder, scope: string, x: string, s: FeatureScaler): string {
  let out = x;
  const n = s.offset.length;
  const fill = s.fill.length === n ? s.fill : new Array<number>(n).fill(0);
  const isNan = p.op(scope, 'IsNaN', [out]);
  out = p.op(
    scope,
    'Where',
    [isNan, p.floats(scope, 'fill', fill), out],
    {},
    'Blanks (NaN) take the training mean',
  );
  if (s.offset.some((v) => v !== 0)) out = p.op(scope, 'Sub', [out, p.floats(scope, 'offset', s.offset)]);
  if (s.scale.some((v) => v !== 1)) out = p.op(scope, 'Div', [out, p.floats(scope, 'scale', s.scale)]);
  return out;
}
