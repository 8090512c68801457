// Generic parameter handling driven by each layer's ParamDefs: defaults, type checks and ranges,
// each problem phrased for the user. Layer-specific rules live in the layer's own checkParams.
import type { ParamDef, Params, ParamValue } from './types.ts';

export interface ResolvedParams {
  params: Params;
  problems: string[];
  /** Not fatal: e.g. a param this layer doesn't know (kept, ignored). */
  warnings: string[];
  /** The params as the user wrote them: `params`, except that a refused value stays as given. */
  asGiven: Record<string, unknown>;
}

/** Largest size of one axis (tfjs indexes tensors with int32) and most axes a shape may have. */
const MAX_DIM = 2 ** 31 - 1;
const MAX_RANK = 8;

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

function checkOne(def: ParamDef, value: unknown): string | null {
  const name = `"${def.name}"`;
  switch (def.kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${name} must be a whole number.`;
      if (def.min !== undefined && value < def.min)
        return `${name} must be at least ${def.min} (it is ${value}).`;
      if (value > (def.max ?? MAX_DIM))
        return `${name} must be at most ${(def.max ?? MAX_DIM).toLocaleString('en-US')} (it is ${value}).`;
      return null;
    case 'float':
      if (value === null && def.nullable) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number.`;
      if (def.min !== undefined && value < def.min)
        return `${name} must be at least ${def.min} (it is ${value}).`;
      if (def.max !== undefined) {
        if (def.exclusiveMax && value >= def.max) return `${name} must be below ${def.max} (it is ${value}).`;
        if (!def.exclusiveMax && value > def.max)
          return `${name} must be at most ${def.max} (it is ${value}).`;
      }
      return null;
    case 'bool':
      return typeof value === 'boolean' ? null : `${name} must be true or false.`;
    case 'enum':
      return typeof value === 'string' && def.options.includes(value)
        ? null
        : `${name} must be one of ${def.options.join(', ')} (it is ${JSON.stringify(value)}).`;
    case 'intOrTuple': {
      if (value === null && def.nullable) return null;
      const ok = (v: unknown) => (isPosInt(v) || (def.allowZero && v === 0)) && (v as number) <= MAX_DIM;
      if (ok(value)) return null;
      if (Array.isArray(value) && value.length === def.length && value.every(ok)) return null;
      return `${name} must be a ${def.allowZero ? 'whole number from 0' : 'positive whole number'} up to ${MAX_DIM.toLocaleString('en-US')} or a list of ${def.length} of them (it is ${JSON.stringify(value)}).`;
    }
    case 'shape': {
      if (value === null && def.nullable) return null;
      if (!Array.isArray(value) || value.length === 0)
        return `${name} must be a non-empty list of sizes, e.g. [28, 28, 1].`;
      const inferred = value.filter((v) => v === -1).length;
      if (def.allowInfer && inferred > 1) return `${name} may contain -1 at most once.`;
      const bad = value.find((v) => !(isPosInt(v) || ((def.allowInfer || def.allowUnknown) && v === -1)));
      if (bad !== undefined)
        return `${name} sizes must be positive whole numbers (found ${JSON.stringify(bad)}).`;
      // Bounds keep shape arithmetic finite (a size of 1e308 made the parameter count Infinity).
      if (value.length > MAX_RANK)
        return `${name} may have at most ${MAX_RANK} axes (it has ${value.length}).`;
      const huge = value.find((v) => v > MAX_DIM);
      if (huge !== undefined)
        return `${name} sizes must be at most ${MAX_DIM.toLocaleString('en-US')} (found ${huge}).`;
      return null;
    }
    case 'regularizer': {
      if (value === null) return null;
      if (typeof value !== 'object' || Array.isArray(value))
        return `${name} must be {"l1": number, "l2": number} or null.`;
      for (const k of ['l1', 'l2'] as const) {
        const v = (value as Record<string, unknown>)[k];
        if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) {
          return `${name}.${k} must be a number ≥ 0.`;
        }
      }
      return null;
    }
  }
}

/** Fill defaults and check every declared param; unknown params are kept but reported. */
export function resolveParams(defs: ParamDef[], given: Record<string, unknown> | undefined): ResolvedParams {
  const params: Params = {};
  const problems: string[] = [];
  const warnings: string[] = [];
  const source = given ?? {};
  const asGiven: Record<string, unknown> = {};
  for (const def of defs) {
    const value = def.name in source ? source[def.name] : def.default;
    const problem = checkOne(def, value);
    if (problem) problems.push(problem);
    // Shape rules and builders get a usable value; what the user sees keeps the value they wrote.
    params[def.name] = (problem ? def.default : value) as ParamValue;
    asGiven[def.name] = value;
  }
  for (const key of Object.keys(source)) {
    if (!defs.some((d) => d.name === key)) {
      warnings.push(
        `Unknown parameter "${key}"; this layer takes ${defs.map((d) => d.name).join(', ') || 'no parameters'}; it is ignored.`,
      );
    }
  }
  return { params, problems, warnings, asGiven };
}

/** Expand an int-or-tuple param (kernelSize: 3 → [3, 3]). */
export function tuple(value: ParamValue, length: number): number[] {
  if (typeof value === 'number') return Array.from({ length }, () => value);
  return value as number[];
}

/** A float ParamDef (most layer settings: rates, slopes, thresholds). */
export const floatParam = (
  name: string,
  label: string,
  help: string,
  range: { default: number | null; min?: number; max?: number; exclusiveMax?: boolean; nullable?: boolean },
): ParamDef => ({ name, kind: 'float', label, help, ...range });
