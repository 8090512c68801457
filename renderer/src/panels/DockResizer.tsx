// The dock's top edge: drag it (or focus it and press ↑/↓) to give the canvas or the dock more room.
// The height is remembered per browser profile.
import { useEffect, useState } from 'react';

const KEY = 'netwright.dockHeight';
const DEFAULT_HEIGHT = 330;
const MIN_HEIGHT = 120;
/** The canvas keeps at least this much of the window. */
const CANVAS_MIN = 160;
const STEP = 24;

const maxHeight = () => Math.max(MIN_HEIGHT, window.innerHeight - CANVAS_MIN - 80);
const clamp = (h: number) => Math.round(Math.min(maxHeight(), Math.max(MIN_HEIGHT, h)));

function savedHeight(): number {
  const saved = Number(localStorage.getItem(KEY));
  return Number.isFinite(saved) && saved > 0 ? clamp(saved) : clamp(DEFAULT_HEIGHT);
}

/** The dock height, persisted, kept inside the window as it resizes. */
export function useDockHeight(): [number, (h: number) => void] {
  const [height, setHeight] = useState(savedHeight);
  useEffect(() => {
    const onResize = () => setHeight((h) => clamp(h));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const set = (h: number) => {
    const next = clamp(h);
    localStorage.setItem(KEY, String(next));
    setHeight(next);
  };
  return [height, set];
}

export function DockResizer({ height, onResize }: { height: number; onResize(h: number): void }) {
  return (
    <div
      className="dock__resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the panel (drag, or arrow keys)"
      aria-valuenow={height}
      aria-valuemin={MIN_HEIGHT}
      aria-valuemax={maxHeight()}
      tabIndex={0}
      data-testid="dock-resizer"
      onPointerDown={(e) => {
        const startY = e.clientY;
        const start = height;
        const el = e.currentTarget;
        el.setPointerCapture(e.pointerId);
        const move = (ev: PointerEvent) => onResize(start + (startY - ev.clientY));
        const up = () => {
          el.removeEventListener('pointermove', move);
          el.removeEventListener('pointerup', up);
        };
        el.addEventListener('pointermove', move);
        el.addEventListener('pointerup', up);
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp') onResize(height + STEP);
        else if (e.key === 'ArrowDown') onResize(height - STEP);
        else return;
        e.preventDefault();
      }}
    />
  );
}
