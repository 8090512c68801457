// A table column's kind in the data panel (data.columnKinds, docs/DATA.md): as detected, or set to
// numeric, categorical or ignored by the user. The detected kind is named in the first option.
import type { ColumnKindChoice } from '../../../engine/project/schema.ts';

export interface ColumnFacts {
  kind?: 'numeric' | 'categorical';
  detected?: 'numeric' | 'categorical';
}

export function ColumnKindSelect({
  column,
  facts,
  value,
  onChange,
}: {
  column: string;
  facts: ColumnFacts;
  value: ColumnKindChoice | undefined;
  onChange(kind: ColumnKindChoice | undefined): void;
}) {
  const detected = facts.detected ?? facts.kind;
  return (
    <select
      className="column-kind"
      value={value ?? ''}
      onChange={(e) => onChange((e.target.value || undefined) as ColumnKindChoice | undefined)}
      aria-label={`Kind of ${column}`}
      data-testid={`data-kind-of-${column}`}
    >
      <option value="">{detected ? `auto (${detected})` : 'auto'}</option>
      <option value="numeric">numeric</option>
      <option value="categorical">categorical</option>
      <option value="ignore">ignore</option>
    </select>
  );
}
