// The deployment model's metadata_props: what a consumer needs to call it and trust it without the
// run folder (class names, columns, the metrics measured on the test split, the producing version).
import type { Preprocessing } from '../../data/types.ts';
import type { PipelineInput, PipelineOutput } from './types.ts';

export interface PipelineMetadataInput {
  prep: Preprocessing;
  inputs: PipelineInput[];
  outputs: PipelineOutput[];
  version: string;
  /** The run's metrics.json (test split), when there is one. */
  metrics?: unknown;
}

/** A one-line description of the inputs, e.g. `4 columns: sepal_length (number), …, one row per sample.` */
export function describeInputs(inputs: PipelineInput[]): string {
  if (
    inputs.length === 1 &&
    inputs[0].name !== 'image' &&
    inputs[0].name !== 'window' &&
    inputs[0].name !== 'signal'
  )
    return `1 column: ${columnText(inputs[0])}; each input [N, 1], one row per sample.`;
  if (inputs.every((i) => i.shape.length === 1 && i.shape[0] === 1))
    return `${inputs.length} columns: ${inputs.map(columnText).join(', ')}; each input [N, 1], one row per sample (NaN = blank).`;
  return inputs.map((i) => `${i.name} [N, ${i.shape.join(', ')}] ${i.type}: ${i.doc}`).join(' ');
}

const columnText = (i: PipelineInput) => `${i.name} (${i.type === 'string' ? 'text' : 'number'})`;

export function pipelineMetadata(m: PipelineMetadataInput): { key: string; value: string }[] {
  const columns = m.prep.encodings.flatMap((enc) =>
    enc.kind === 'tabular'
      ? enc.columns.map((c) =>
          c.kind === 'numeric'
            ? { name: c.name, kind: c.kind }
            : { name: c.name, kind: c.kind, categories: c.categories },
        )
      : [],
  );
  const props: Record<string, string> = {
    'netwright.version': m.version,
    'netwright.task': m.prep.task,
    'netwright.inputs': describeInputs(m.inputs),
    'netwright.outputs': m.outputs.map((o) => `${o.name}: ${o.doc}`).join(' '),
    'netwright.preprocessing':
      'Included: feed raw values; the scaling fitted on the training split is inside the model.',
  };
  if (m.prep.classNames) props['netwright.class_names'] = JSON.stringify(m.prep.classNames);
  if (columns.length) props['netwright.columns'] = JSON.stringify(columns);
  if (m.prep.targetNames) props['netwright.target_names'] = JSON.stringify(m.prep.targetNames);
  if (m.metrics !== undefined) props['netwright.metrics'] = JSON.stringify(m.metrics);
  return Object.entries(props).map(([key, value]) => ({ key, value }));
}
