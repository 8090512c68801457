// One inspector field generated from a ParamDef, with inline validation. Text is parsed into the
// param's type; values of the right type are applied at once (the node badge explains range
// problems too), text that can't be parsed stays in the field with a message and changes nothing;
// leaving the field then puts the model's value back.
import { useEffect, useId, useState } from 'react';
import type { ParamDef } from '../../../engine/layers/types.ts';
import { resolveParams } from '../../../engine/layers/params.ts';
import { useEditor } from '../state/editor-store.ts';

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

const listText = (v: unknown): string =>
  Array.isArray(v) ? v.join(', ') : v === null || v === undefined ? '' : String(v);

function parse(def: ParamDef, text: string): Parsed {
  const t = text.trim();
  switch (def.kind) {
    case 'int':
    case 'float': {
      if (t === '' && def.kind === 'float' && def.nullable) return { ok: true, value: null };
      if (t === '') return { ok: false, message: `${def.label} needs a value.` };
      const n = Number(t);
      if (!Number.isFinite(n)) return { ok: false, message: `${def.label} must be a number.` };
      return { ok: true, value: n };
    }
    case 'intOrTuple': {
      if (t === '' && def.nullable) return { ok: true, value: null };
      const parts = t
        .split(/[\s,×x]+/)
        .filter(Boolean)
        .map(Number);
      if (!parts.length || parts.some((p) => !Number.isFinite(p))) {
        return {
          ok: false,
          message: `${def.label}: enter a number or ${def.length} numbers separated by commas.`,
        };
      }
      return { ok: true, value: parts.length === 1 ? parts[0] : parts };
    }
    case 'shape': {
      if (t === '' && def.nullable) return { ok: true, value: null };
      const parts = t
        .replace(/^\[|\]$/g, '')
        .split(/[\s,×x]+/)
        .filter(Boolean)
        .map(Number);
      if (!parts.length || parts.some((p) => !Number.isFinite(p))) {
        return { ok: false, message: `${def.label}: enter sizes separated by commas, e.g. 28, 28, 1.` };
      }
      return { ok: true, value: parts };
    }
    default:
      return { ok: true, value: t };
  }
}

function problemOf(def: ParamDef, value: unknown): string | null {
  return resolveParams([def], { [def.name]: value }).problems[0] ?? null;
}

interface Props {
  def: ParamDef;
  value: unknown;
  onChange(value: unknown): void;
}

export function ParamField({ def, value, onChange }: Props) {
  const id = useId();
  const helpId = `${id}-help`;
  const errId = `${id}-err`;
  const external = def.kind === 'regularizer' ? JSON.stringify(value) : listText(value);
  const [draft, setDraft] = useState(external);
  const [parseError, setParseError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(external);
    setParseError(null);
  }, [external]);

  const rangeProblem = problemOf(def, value);
  const message = parseError ?? rangeProblem;
  const common = {
    id,
    'aria-describedby': `${helpId}${message ? ` ${errId}` : ''}`,
    'aria-invalid': message ? true : undefined,
    'data-testid': `param-${def.name}`,
  } as const;

  const commitText = (text: string) => {
    setDraft(text);
    const parsed = parse(def, text);
    if (!parsed.ok) {
      setParseError(parsed.message);
      return;
    }
    setParseError(null);
    if (JSON.stringify(parsed.value) !== JSON.stringify(value)) onChange(parsed.value);
  };

  // Leaving a field with text that isn't a value puts back the value it had before this edit (typing
  // "1e" must not leave units=1 behind), so field, node and status bar agree on what will be trained.
  const [atFocus, setAtFocus] = useState<unknown>(value);
  const revertUnfinished = () => {
    if (!parseError) return;
    setDraft(listText(atFocus));
    setParseError(null);
    if (JSON.stringify(atFocus) !== JSON.stringify(value)) onChange(atFocus);
    useEditor
      .getState()
      .notify(
        `${def.label} stays ${listText(atFocus) || 'empty'}: what was typed is not a valid value.`,
        'error',
      );
  };

  let control: React.ReactNode;
  switch (def.kind) {
    case 'bool':
      control = (
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
      );
      break;
    case 'enum':
      control = (
        <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {def.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'regularizer': {
      const reg = (value ?? {}) as { l1?: number; l2?: number };
      const set = (k: 'l1' | 'l2', text: string) => {
        const n = text.trim() === '' ? 0 : Number(text);
        if (!Number.isFinite(n)) return;
        const next = { ...reg, [k]: n };
        onChange(!next.l1 && !next.l2 ? null : next);
      };
      control = (
        <div className="param-pair" data-testid={`param-${def.name}`} aria-describedby={helpId}>
          {(['l1', 'l2'] as const).map((k) => (
            <label key={k} className="param-pair__item">
              <span>{k.toUpperCase()}</span>
              <input
                type="number"
                step="any"
                min={0}
                defaultValue={reg[k] ?? ''}
                key={`${k}:${reg[k] ?? ''}`}
                placeholder="0"
                aria-label={`${def.label} ${k.toUpperCase()}`}
                data-testid={`param-${def.name}-${k}`}
                onBlur={(e) => set(k, e.target.value)}
                onKeyDown={(e) => e.key === 'Enter' && set(k, (e.target as HTMLInputElement).value)}
              />
            </label>
          ))}
        </div>
      );
      break;
    }
    case 'int':
    case 'float':
      control = (
        <input
          {...common}
          type="number"
          step={def.kind === 'int' ? 1 : 'any'}
          min={def.min}
          max={def.max}
          value={draft}
          onChange={(e) => commitText(e.target.value)}
          onFocus={() => setAtFocus(value)}
          onBlur={revertUnfinished}
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type="text"
          value={draft}
          placeholder={def.kind === 'intOrTuple' && def.nullable ? 'same as pool size' : undefined}
          spellCheck={false}
          onChange={(e) => commitText(e.target.value)}
          onFocus={() => setAtFocus(value)}
          onBlur={revertUnfinished}
        />
      );
  }

  const range =
    (def.kind === 'int' || def.kind === 'float') && (def.min !== undefined || def.max !== undefined)
      ? ` Range ${def.min ?? '−∞'} … ${def.max ?? '∞'}.`
      : '';
  return (
    <div className={`param ${message ? 'is-invalid' : ''} param--${def.kind}`}>
      <label htmlFor={id} className="param__label">
        {def.label}
        <code className="param__name">{def.name}</code>
      </label>
      {control}
      <p id={helpId} className="param__help">
        {def.help}
        {range}
      </p>
      {message && (
        <p id={errId} className="param__error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
