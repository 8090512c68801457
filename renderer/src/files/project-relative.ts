// Paths the file picker returns (web mode: relative to the workspace; desktop: absolute) turned into
// what a project stores: a path relative to the project file's folder, which data paths may not leave
// (docs/DATA.md). No node:path here: this runs in the renderer, on either separator.

const segments = (p: string) => p.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');

/** The folder of a project file, as the picker names folders ("." for the workspace itself). */
export function folderOf(projectPath: string): string {
  const cut = Math.max(projectPath.lastIndexOf('/'), projectPath.lastIndexOf('\\'));
  if (cut < 0) return '.';
  return projectPath.slice(0, cut) || projectPath.slice(0, 1);
}

/**
 * `target` relative to `folder` (forward slashes), or null when it is not inside that folder. Both
 * are paths of the same kind (both workspace-relative or both absolute), as the picker gives them.
 */
export function insideFolder(folder: string, target: string): string | null {
  const base = segments(folder);
  const parts = segments(target);
  const absolute = (p: string) => /^([\\/]|[A-Za-z]:)/.test(p);
  if (absolute(folder) !== absolute(target)) return null;
  if (parts.length <= base.length) return null;
  const windows = /^[A-Za-z]:/.test(folder);
  const same = (a: string, b: string) => (windows ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (!base.every((s, i) => same(s, parts[i]))) return null;
  return parts.slice(base.length).join('/');
}
