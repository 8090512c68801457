// The one reader of `data.source` text. The loader, the hosts' path policy and the project schema all
// go through it, so the path a policy checks is the path the loader opens: nothing trims or
// re-normalises the text after it has been checked.
import { DataError } from './types.ts';

export type SourceKind = 'builtin' | 'csv' | 'images';

export interface SourceText {
  kind: SourceKind;
  /** What follows the colon, exactly as written. */
  rest: string;
}

const SOURCE = /^(builtin|csv|images):(.+)$/s;
// Whitespace at either end, C0/C1 control characters, NUL, and Unicode line/paragraph separators and
// BOM: none belongs in a dataset name or a path a user means, and each has been used to slip a path
// past a check that ran on the untrimmed text.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
const EDGE_SPACE = /^\s|\s$/;

/** A sentence saying why `source` is not a usable data source, or null when it is well-formed. */
export function sourceTextProblem(source: string): string | null {
  if (FORBIDDEN.test(source))
    return 'data.source contains a control character (a tab, a line break or NUL); write it as builtin:<name>, csv:<path> or images:<folder>.';
  if (EDGE_SPACE.test(source))
    return 'data.source starts or ends with a space; remove the spaces around builtin:<name>, csv:<path> or images:<folder>.';
  const m = SOURCE.exec(source);
  if (!m) return 'data.source is not understood; use builtin:<name>, csv:<path> or images:<folder>.';
  if (EDGE_SPACE.test(m[2])) return 'data.source has a space right after the colon or at the end; remove it.';
  return null;
}

/** Split a well-formed source into its kind and the text after the colon; throws DataError otherwise. */
export function readSourceText(source: string): SourceText {
  const problem = sourceTextProblem(source);
  if (problem) throw new DataError(problem, 'invalid');
  const m = SOURCE.exec(source)!;
  return { kind: m[1] as SourceKind, rest: m[2] };
}
