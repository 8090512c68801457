// Several Input nodes on a table: which Input each feature column goes to (data.inputs, DATA.md
// "several Input nodes"), and per Input its columns' encoded width beside its shape, with the
// engine's own sentence when they differ (engine/data/input-checks.ts).
import type { DataPreview } from '../../../engine/api.ts';
import type { ProjectData } from '../../../engine/project/schema.ts';
import {
  inputWidthProblem,
  inputsWithoutColumnsProblem,
  shapeSize,
} from '../../../engine/data/input-checks.ts';
import { useEditor } from '../state/editor-store.ts';

export type InputColumns = Record<string, string[]>;
export type DataWithColumns = ProjectData & {
  features?: string[];
  inputs?: InputColumns;
  window?: unknown;
};

export interface GraphInput {
  id: string;
  shape: number[];
}

/** The graph's Input nodes, in graph order, with their feature shapes. */
export function useGraphInputs(): GraphInput[] {
  const nodes = useEditor((s) => s.nodes);
  return nodes
    .filter((n) => n.data.layerType === 'Input')
    .map((n) => {
      const shape = n.data.params.shape;
      return { id: n.id, shape: Array.isArray(shape) ? shape.map(Number) : [] };
    });
}

/** data.inputs applies: two or more Inputs and a table (not images, tensors or windowed series). */
export function isMultiInputTable(
  inputs: GraphInput[],
  preview: DataPreview | null,
  data: DataWithColumns | undefined,
): boolean {
  if (inputs.length < 2 || !preview || preview.thumbnails?.length || data?.window) return false;
  return preview.columns.every((c) => {
    const kind = (preview.summary[c] as { kind?: string } | undefined)?.kind;
    return kind === 'numeric' || kind === 'categorical';
  });
}

/** The engine's target column (the default one too, when data.target is unset). */
export const isTargetIn = (preview: DataPreview, column: string): boolean =>
  (preview.summary[column] as { role?: string } | undefined)?.role === 'target';

/** data.inputs with `column` moved to `inputId` ('' = not used), Inputs without columns left out. */
export function assignColumn(
  current: InputColumns | undefined,
  column: string,
  inputId: string,
  columnOrder: string[],
): InputColumns | undefined {
  const next: InputColumns = {};
  for (const [id, cols] of Object.entries(current ?? {})) {
    const kept = cols.filter((c) => c !== column);
    if (kept.length) next[id] = kept;
  }
  if (inputId) {
    const cols = [...(next[inputId] ?? []), column];
    next[inputId] = columnOrder.filter((c) => cols.includes(c));
  }
  return Object.keys(next).length ? next : undefined;
}

export const inputOf = (inputs: InputColumns | undefined, column: string): string =>
  Object.entries(inputs ?? {}).find(([, cols]) => cols.includes(column))?.[0] ?? '';

/** The select in a column's header: which Input the column goes to. */
export function InputSelect({
  column,
  inputs,
  value,
  onChange,
}: {
  column: string;
  inputs: GraphInput[];
  value: string;
  onChange: (inputId: string) => void;
}) {
  return (
    <select
      className="data-input-select"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-label={`Input node for ${column}`}
      title={`Which Input node receives ${column}`}
      data-testid={`data-input-of-${column}`}
    >
      <option value="">not used</option>
      {inputs.map((i) => (
        <option key={i.id} value={i.id}>
          → {i.id}
        </option>
      ))}
    </select>
  );
}

/** Per Input: its columns, their encoded width (from the preview) and its shape; the mismatch sentence. */
export function InputWidths({
  inputs,
  assigned,
  preview,
}: {
  inputs: GraphInput[];
  assigned: InputColumns | undefined;
  preview: DataPreview;
}) {
  const widthOf = (c: string) => (preview.summary[c] as { width?: number } | undefined)?.width;
  const missing = inputs.filter((i) => !assigned?.[i.id]?.length).map((i) => i.id);
  return (
    <section className="data-inputs" aria-label="Columns per Input node" data-testid="data-inputs">
      {inputs.map((input) => {
        const columns = assigned?.[input.id] ?? [];
        const widths = columns.map(widthOf);
        const known = widths.every((w) => w !== undefined);
        const width = widths.reduce<number>((a, w) => a + (w ?? 0), 0);
        const problem =
          columns.length && known ? inputWidthProblem(input.id, input.shape, columns, width) : null;
        const size = shapeSize(input.shape);
        const ok = columns.length > 0 && known && !problem;
        const widthText = `width ${columns.length ? (known ? width : '…') : 0}`;
        return (
          <div key={input.id} className={`data-inputs__row${problem ? ' is-mismatch' : ''}`}>
            <span className="data-inputs__id">{input.id}</span>
            <span className="data-inputs__cols">{columns.length ? columns.join(', ') : 'no columns'}</span>
            <span className="data-inputs__width" data-testid={`data-input-width-${input.id}`}>
              {widthText} {problem ? '≠' : ok ? '=' : '·'} shape [{input.shape.join(', ')}]
              {input.shape.length > 1 && !Number.isNaN(size) ? ` (${size} values)` : ''}
              {ok ? ' ✓' : ''}
            </span>
            {problem && (
              <p className="param__error" role="alert" data-testid={`data-input-warning-${input.id}`}>
                {problem}
              </p>
            )}
          </div>
        );
      })}
      {missing.length > 0 && (
        <p className="param__error" role="alert" data-testid="data-inputs-missing">
          {inputsWithoutColumnsProblem(missing)}
        </p>
      )}
    </section>
  );
}
