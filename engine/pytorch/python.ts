// Python source fragments: identifiers, literals and the tfjs activations as PyTorch expressions.
const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for ' +
    'from global if import in is lambda nonlocal not or pass raise return try while with yield ' +
    'self torch nn F np math'
  ).split(' '),
);

/** A Python identifier for a node id: other characters become _, keywords and clashes get a suffix. */
export function identifierFor(id: string, taken: Set<string>): string {
  let name = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(name)) name = `n_${name}`;
  if (KEYWORDS.has(name)) name = `${name}_`;
  let unique = name;
  for (let i = 2; taken.has(unique); i++) unique = `${name}_${i}`;
  taken.add(unique);
  return unique;
}

/** A Python literal: numbers, booleans, strings, tuples for arrays. */
export function py(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatLiteral(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value))
    return value.length === 1 ? `(${py(value[0])},)` : `(${value.map(py).join(', ')})`;
  throw new Error(`no Python literal for ${typeof value}`);
}

function floatLiteral(v: number): string {
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** Keyword arguments, skipping undefined values. */
export function kwargs(args: Record<string, unknown>): string {
  return Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${py(v)}`)
    .join(', ');
}

/** A tfjs activation applied to `expr`; `channelDim` is where softmax normalises. */
export function applyActivation(name: string, expr: string, channelDim: number): string {
  switch (name) {
    case 'linear':
      return expr;
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      return `torch.${name}(${expr})`;
    case 'softmax':
      return `torch.softmax(${expr}, dim=${channelDim})`;
    case 'swish':
      return `F.silu(${expr})`;
    case 'elu':
    case 'selu':
    case 'softplus':
    case 'softsign':
      return `F.${name}(${expr})`;
    default:
      throw new Error(`unknown activation ${name}`);
  }
}

/** A tfjs activation as a Python callable (for the recurrent cells). */
export function activationCallable(name: string): string {
  switch (name) {
    case 'linear':
      return 'nn.Identity()';
    case 'softmax':
      return 'nn.Softmax(dim=-1)';
    case 'swish':
      return 'F.silu';
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      return `torch.${name}`;
    default:
      return `F.${name}`;
  }
}

export const KNOWN_ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'swish',
];
