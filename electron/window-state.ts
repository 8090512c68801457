// Remembers the main window's size and position between launches (userData/window-state.json),
// and refuses a saved position that no longer lies on any display. No Electron import.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../engine/project/files.ts';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds?: Bounds;
  maximized?: boolean;
  recent?: string[];
}

const finiteInt = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

export async function loadWindowState(dir: string): Promise<WindowState> {
  try {
    const raw = JSON.parse(await fs.readFile(path.join(dir, 'window-state.json'), 'utf8')) as WindowState;
    const b = raw.bounds;
    const bounds =
      b && [b.x, b.y, b.width, b.height].every(finiteInt) && b.width >= 200 && b.height >= 150
        ? b
        : undefined;
    const recent = Array.isArray(raw.recent)
      ? raw.recent.filter((r): r is string => typeof r === 'string').slice(0, 10)
      : [];
    return { bounds, maximized: raw.maximized === true, recent };
  } catch {
    return { recent: [] };
  }
}

export async function saveWindowState(dir: string, state: WindowState): Promise<void> {
  await writeFileAtomic(path.join(dir, 'window-state.json'), JSON.stringify(state, null, 2));
}

/** The saved bounds when at least a 100×50 corner of them is on one of `displays`, else undefined. */
export function visibleBounds(saved: Bounds | undefined, displays: Bounds[]): Bounds | undefined {
  if (!saved) return undefined;
  const overlaps = displays.some((d) => {
    const w = Math.min(saved.x + saved.width, d.x + d.width) - Math.max(saved.x, d.x);
    const h = Math.min(saved.y + saved.height, d.y + d.height) - Math.max(saved.y, d.y);
    return w >= 100 && h >= 50;
  });
  return overlaps ? saved : undefined;
}

/** Most recent first, no duplicates, at most 10. */
export function addRecent(list: string[], file: string): string[] {
  return [file, ...list.filter((f) => f !== file)].slice(0, 10);
}
