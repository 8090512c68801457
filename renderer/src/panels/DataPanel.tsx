// Data: pick the dataset (built-in, CSV, image folder), preview rows, target/feature columns, split,
// summary statistics and class balance, through EngineApi.previewData.
import { useEffect, useRef, useState } from 'react';
import type { DataPreview } from '../../../engine/api.ts';
import type { ProjectData } from '../../../engine/project/schema.ts';
import { engine, errorMessage } from '../engine/client.ts';
import { useEditor } from '../state/editor-store.ts';
import { Thumbnail } from './Thumbnail.tsx';
import { ColumnKindSelect, type ColumnFacts } from './ColumnKindSelect.tsx';
import type { ColumnKindChoice } from '../../../engine/project/schema.ts';
import { WorkspaceFilePicker } from '../files/WorkspaceFilePicker.tsx';
import { folderOf, insideFolder } from '../files/project-relative.ts';
import type { FolderEntry } from '../../../engine/api.ts';
import {
  InputSelect,
  InputWidths,
  assignColumn,
  inputOf,
  isMultiInputTable,
  isTargetIn,
  useGraphInputs,
  type DataWithColumns,
} from './DataInputs.tsx';

const BUILTINS = ['builtin:iris', 'builtin:mnist', 'builtin:defects', 'builtin:sp500'];
type DataWithFeatures = DataWithColumns;

interface SplitCounts {
  train: number;
  validation: number;
  test: number;
}

/** The sizes training will use: per class when the data has classes (the engine's split is stratified
    and rounds per class, engine/data/split.ts), else over all samples. */
function splitCounts(
  preview: DataPreview,
  data: ProjectData | undefined,
  validationSplit: number,
): SplitCounts {
  const testSplit = data?.testSplit ?? 0.2;
  const groups = preview.classBalance ? Object.values(preview.classBalance) : [preview.count];
  const out = { train: 0, validation: 0, test: 0 };
  for (const n of groups) {
    const test = Math.round(n * testSplit);
    const validation = Math.round((n - test) * validationSplit);
    out.test += test;
    out.validation += validation;
    out.train += n - test - validation;
  }
  return out;
}

const splitText = (c: SplitCounts) =>
  `${c.train.toLocaleString('en-US')} train · ${c.validation.toLocaleString('en-US')} validation · ${c.test.toLocaleString('en-US')} test`;

export function DataPanel() {
  const data = useEditor((s) => s.meta.data) as DataWithFeatures | undefined;
  const projectPath = useEditor((s) => s.projectPath);
  const setMeta = useEditor((s) => s.setMeta);
  const setData = useEditor((s) => s.setData);
  const graphInputs = useGraphInputs();
  const validation = useEditor((s) => s.meta.training?.validationSplit ?? 0); // the engine's default
  const [source, setSource] = useState(data?.source ?? '');
  // The preview with what it was computed from: shown only for the project's current source, so a
  // new, opened or template project never shows the previous one's rows.
  const [shown, setShown] = useState<{ of: string; preview: DataPreview } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [picking, setPicking] = useState(false);
  useEffect(() => setSource(data?.source ?? ''), [data?.source]);

  const update = (patch: Partial<DataWithFeatures>) =>
    setMeta({ data: { source: '', ...data, ...patch } as ProjectData });

  const sourceKey = `${projectPath ?? ''}\n${data?.source ?? ''}`;
  const preview = shown?.of === sourceKey ? shown.preview : null;
  const requests = useRef(0);
  const load = async () => {
    const asked = ++requests.current;
    if (!data?.source) {
      setShown(null);
      setError(null);
      return;
    }
    setLoading(true);
    setError(null);
    try {
      const next = await engine().previewData(data, projectPath ?? undefined);
      // An answer to an older request (the data changed meanwhile) is dropped.
      if (asked === requests.current) setShown({ of: sourceKey, preview: next });
    } catch (err) {
      if (asked !== requests.current) return;
      setShown(null);
      setError(errorMessage(err));
    } finally {
      if (asked === requests.current) setLoading(false);
    }
  };
  // Everything in the data section but the split changes the preview (target, kinds, columns, the
  // union of data.inputs — not which Input a column goes to), so warnings follow each edit.
  const { testSplit: _split, inputs: _inputs, ...previewed } = data ?? { source: '' };
  void _split;
  void _inputs;
  const inputsKey = data?.inputs ? Object.values(data.inputs).flat().sort().join('\n') : '';
  const dataKey = `${sourceKey}\n${JSON.stringify(previewed)}\n${inputsKey}`;
  useEffect(() => void load(), [dataKey]);
  const multi = isMultiInputTable(graphInputs, preview, data);
  const assign = (column: string, inputId: string) => {
    const { features: _features, ...rest } = data ?? { source: '' };
    void _features;
    const inputs = assignColumn(data?.inputs, column, inputId, preview?.columns ?? []);
    setData(
      { ...rest, inputs } as ProjectData,
      inputId ? `Give ${column} to ${inputId}` : `Leave ${column} out`,
    );
  };

  // The target can't also be an input: choosing a column as target takes it out of data.inputs and
  // data.features (the engine would refuse the run otherwise). One undo step.
  const chooseTarget = (target: string | undefined) => {
    const next: DataWithFeatures = { source: '', ...data, target };
    if (target && next.inputs) next.inputs = assignColumn(next.inputs, target, '', preview?.columns ?? []);
    if (target && next.features) next.features = next.features.filter((f) => f !== target);
    for (const key of ['target', 'inputs', 'features'] as const)
      if (next[key] === undefined) delete next[key];
    setData(next as ProjectData, target ? `Set the target to ${target}` : 'Use the default target');
  };

  // Data paths are relative to the project's folder and may not leave it (docs/DATA.md); an unsaved
  // project names them as the workspace does.
  const pick = (entry: FolderEntry) => {
    setPicking(false);
    const kind = entry.kind === 'image-folder' ? 'images' : 'csv';
    const folder = projectPath ? folderOf(projectPath) : null;
    const rel = folder === null ? entry.path : insideFolder(folder, entry.path);
    if (rel === null) {
      setError(
        `${entry.name} is outside the project's folder (${folder === '.' ? 'the workspace' : folder}); data must be in that folder or below it.`,
      );
      return;
    }
    setSource(`${kind}:${rel}`);
    // Columns of the old data (target, features, inputs) mean nothing in the new file; the split stays.
    const next = {
      source: `${kind}:${rel}`,
      ...(data?.testSplit !== undefined ? { testSplit: data.testSplit } : {}),
    };
    setData(next as ProjectData, `Use ${entry.name} as the data`);
  };

  const setKind = (column: string, kind: ColumnKindChoice | undefined) => {
    const kinds = { ...data?.columnKinds };
    if (kind) kinds[column] = kind;
    else delete kinds[column];
    const next: DataWithFeatures = { source: '', ...data, columnKinds: kinds };
    if (Object.keys(kinds).length === 0) delete next.columnKinds;
    setData(next as ProjectData, kind ? `Set ${column} to ${kind}` : `Detect the kind of ${column}`);
  };
  const factsOf = (c: string) => preview?.summary[c] as ColumnFacts | undefined;
  const defaultTarget = data?.target
    ? undefined
    : preview?.columns.find((c) => (preview.summary[c] as { role?: string } | undefined)?.role === 'target');
  const targetName = data?.target ?? defaultTarget;

  const balance = preview?.classBalance ? Object.entries(preview.classBalance) : [];
  const maxCount = Math.max(1, ...balance.map(([, n]) => n));
  const features = data?.features;
  return (
    <div className="data-panel">
      <div className="panel-toolbar data-panel__controls">
        <label>
          Source
          <input
            list="builtin-datasets"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            onBlur={() => source !== data?.source && update({ source })}
            onKeyDown={(e) => e.key === 'Enter' && update({ source })}
            placeholder="builtin:iris, csv:data.csv or images:folder"
            aria-label="Data source"
            data-testid="data-source"
            spellCheck={false}
          />
          <datalist id="builtin-datasets">
            {BUILTINS.map((b) => (
              <option key={b} value={b} />
            ))}
          </datalist>
        </label>
        <button
          className="btn"
          onClick={() => setPicking(true)}
          aria-label="Browse the workspace for a CSV file or image folder"
          data-testid="data-source-browse"
        >
          Browse…
        </button>
        <label>
          Target
          <select
            value={data?.target ?? ''}
            onChange={(e) => chooseTarget(e.target.value || undefined)}
            aria-label="Target column"
            data-testid="data-target"
            disabled={!preview && !data?.target}
          >
            <option value="">{defaultTarget ? `(default: ${defaultTarget})` : '(default)'}</option>
            {data?.target && !preview?.columns.includes(data.target) && <option>{data.target}</option>}
            {preview?.columns.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Test split
          <input
            type="number"
            min={0}
            max={0.9}
            step={0.05}
            value={data?.testSplit ?? 0.2}
            onChange={(e) => update({ testSplit: Math.min(0.9, Math.max(0, Number(e.target.value) || 0)) })}
            aria-label="Fraction of samples held out for testing"
            data-testid="data-test-split"
          />
        </label>
        <button className="btn" onClick={() => void load()} disabled={!data?.source || loading}>
          {loading ? 'Loading…' : 'Refresh preview'}
        </button>
      </div>
      {picking && (
        <WorkspaceFilePicker
          title="Choose a CSV file or image folder"
          accept={['csv', 'image-folder']}
          startFolder={projectPath ? folderOf(projectPath) : undefined}
          onPick={pick}
          onClose={() => setPicking(false)}
        />
      )}
      {error && (
        <p className="param__error" role="alert">
          {error}
        </p>
      )}
      {!data?.source && (
        <p className="muted">This project has no data source yet. Choose a built-in dataset or a CSV file.</p>
      )}
      {preview && (
        <div className="data-panel__body">
          <div className="data-panel__table">
            <p className="muted">
              {preview.count.toLocaleString('en-US')} samples · {preview.columns.length} columns ·{' '}
              <span data-testid="data-split-counts">{splitText(splitCounts(preview, data, validation))}</span>
              {preview.warnings.map((w) => (
                <span key={w} className="warning-text">
                  {' '}
                  · {w}
                </span>
              ))}
            </p>
            {preview.thumbnails && preview.thumbnails.length > 0 && (
              <div className="thumbs" data-testid="data-thumbnails" aria-label="Sample images">
                {preview.thumbnails.map((t, i) => (
                  <Thumbnail key={i} thumb={t} index={i} />
                ))}
              </div>
            )}
            {multi && <InputWidths inputs={graphInputs} assigned={data?.inputs} preview={preview} />}
            <div className="table-scroll">
              <table className="table table--compact" data-testid="data-preview">
                <thead>
                  <tr>
                    {preview.columns.map((c) => (
                      <th key={c} scope="col" className={c === targetName ? 'is-target' : ''}>
                        {c !== targetName && multi && !isTargetIn(preview, c) && (
                          <InputSelect
                            column={c}
                            inputs={graphInputs}
                            value={inputOf(data?.inputs, c)}
                            onChange={(id) => assign(c, id)}
                          />
                        )}
                        {c !== targetName && !multi && (
                          <input
                            type="checkbox"
                            aria-label={`Use ${c} as a feature`}
                            checked={
                              data?.columnKinds?.[c] !== 'ignore' && (!features || features.includes(c))
                            }
                            disabled={data?.columnKinds?.[c] === 'ignore'}
                            onChange={(e) => {
                              const all = preview.columns.filter((x) => x !== targetName);
                              const current = features ?? all;
                              const next = e.target.checked
                                ? [...current, c]
                                : current.filter((x) => x !== c);
                              update({ features: next.length === all.length ? undefined : next });
                            }}
                          />
                        )}{' '}
                        {c}
                        {c === targetName && ' (target)'}
                        {factsOf(c)?.kind && (
                          <ColumnKindSelect
                            column={c}
                            facts={factsOf(c)!}
                            value={data?.columnKinds?.[c]}
                            onChange={(kind) => setKind(c, kind)}
                          />
                        )}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.slice(0, 50).map((row, i) => (
                    <tr key={i}>
                      {row.map((v, j) => (
                        <td key={j}>{v === null ? <span className="muted">∅</span> : String(v)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          {balance.length > 0 && (
            <section className="data-panel__balance" aria-label="Class balance">
              <h3>Class balance</h3>
              {balance.map(([label, n]) => (
                <div key={label} className="bar-row">
                  <span className="bar-row__label">{label}</span>
                  <span className="bar-row__bar">
                    <span style={{ width: `${(n / maxCount) * 100}%` }} />
                  </span>
                  <span className="bar-row__n">{n}</span>
                </div>
              ))}
            </section>
          )}
        </div>
      )}
    </div>
  );
}
