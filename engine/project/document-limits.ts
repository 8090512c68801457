// Limits on a whole project document, unknown keys included, the same for save and open
// (docs/SECURITY.md): how deep it nests and how many bytes its saved text takes. Both are measured
// by iterative walks, so no document, however deep, can overflow the stack while being checked.
import { formatPath } from './path-format.ts';

/** A project file's size limit, on disk and as saveProject would write it. */
export const MAX_PROJECT_BYTES = 64 * 1024 * 1024;
/** Levels of objects and arrays; a real project nests about 6 (graph.nodes[i].params.kernelRegularizer). */
export const MAX_DOCUMENT_DEPTH = 64;

export interface LimitProblem {
  path: string;
  message: string;
}

interface Frame {
  value: unknown;
  depth: number;
  key: PropertyKey | null;
  parent: Frame | null;
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

function pathOf(frame: Frame): string {
  const keys: PropertyKey[] = [];
  for (let f: Frame | null = frame; f && f.key !== null; f = f.parent) keys.push(f.key);
  keys.reverse();
  const shown = keys.length > 8 ? [...keys.slice(0, 8), '…'] : keys;
  return formatPath(shown);
}

/**
 * The first place where `value` nests deeper than `maxDepth` objects/arrays, as one problem, or null.
 * `what` names the document in the sentence ("The project", "The request"); a request wrapping a
 * project passes the project limit plus its own levels.
 */
export function depthProblem(
  value: unknown,
  what = 'The project',
  maxDepth = MAX_DOCUMENT_DEPTH,
): LimitProblem | null {
  const stack: Frame[] = [{ value, depth: 0, key: null, parent: null }];
  while (stack.length) {
    const frame = stack.pop()!;
    if (!isContainer(frame.value)) continue;
    const depth = frame.depth + 1;
    if (depth > maxDepth) {
      const at = pathOf(frame);
      return {
        path: at,
        message: `${what} nests objects and lists too deeply${at ? ` (at ${at})` : ''}; a project may nest at most ${MAX_DOCUMENT_DEPTH} levels.`,
      };
    }
    if (Array.isArray(frame.value)) {
      frame.value.forEach((item, i) => stack.push({ value: item, depth, key: i, parent: frame }));
    } else {
      for (const [k, v] of Object.entries(frame.value))
        stack.push({ value: v, depth, key: k, parent: frame });
    }
  }
  return null;
}

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The JSON text of a primitive as JSON.stringify writes it, or undefined where it writes nothing. */
function primitiveJson(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
  return undefined;
}

/**
 * UTF-8 bytes of `JSON.stringify(value, null, 2)` (the saved form, less its final newline), computed
 * without building the text; it stops counting once past `stopAbove`. Call depthProblem first: the
 * walk is iterative, but each level adds indentation to every line below it.
 */
export function prettyJsonBytes(value: unknown, stopAbove = Infinity): number {
  let total = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length && total <= stopAbove) {
    const { value: raw, depth } = stack.pop()!;
    const v =
      isContainer(raw) && typeof (raw as { toJSON?: unknown }).toJSON === 'function'
        ? (raw as { toJSON(): unknown }).toJSON()
        : raw;
    if (!isContainer(v)) {
      total += utf8Bytes(primitiveJson(v) ?? 'null');
      continue;
    }
    // Object members whose value JSON leaves out (undefined, functions) are skipped; in a list they are null.
    const entries: [string | null, unknown][] = Array.isArray(v)
      ? v.map((item) => [null, item])
      : Object.entries(v).filter(([, item]) => isContainer(item) || primitiveJson(item) !== undefined);
    if (entries.length === 0) {
      total += 2;
      continue;
    }
    const inner = 2 * (depth + 1);
    // "[\n" … ",\n" between members … "\n" + indent + "]"
    total += 2 + 2 * (entries.length - 1) + 1 + 2 * depth + 1;
    for (const [key, item] of entries) {
      total += inner + (key === null ? 0 : utf8Bytes(JSON.stringify(key)) + 2);
      stack.push({ value: item, depth: depth + 1 });
    }
  }
  return total;
}

/** The saved size of a project over the limit, as one problem, or null. */
export function savedSizeProblem(value: unknown, what = 'The project'): LimitProblem | null {
  // +1: projectToText ends the file with a newline.
  const bytes = prettyJsonBytes(value, MAX_PROJECT_BYTES) + 1;
  if (bytes <= MAX_PROJECT_BYTES) return null;
  const mb = MAX_PROJECT_BYTES / 1024 / 1024;
  return {
    path: '',
    message: `${what} would take more than ${mb} MB as a saved file; project files are limited to ${mb} MB.`,
  };
}
