// Everything outside the graph: theme, dialogs, training session, runs, recent files.
import { create } from 'zustand';
import type { BackendSummary, EngineEvent, RunSummary, TrainProgress } from '../../../engine/api.ts';

export type Dialog = 'templates' | 'open' | 'saveAs' | 'help' | null;
export type BottomTab = 'training' | 'data' | 'export' | 'runs' | 'explain' | 'predict';
export type TrainStatus = 'idle' | 'starting' | 'running' | 'stopping' | 'complete' | 'cancelled' | 'failed';

export interface EpochPoint {
  epoch: number;
  loss: number;
  valLoss?: number;
  metrics: Record<string, number>;
  valMetrics?: Record<string, number>;
}

export interface TrainingSession {
  jobId: string | null;
  status: TrainStatus;
  epochs: EpochPoint[];
  /** Batch-level loss, for a smooth curve within the first epochs. */
  batches: { step: number; loss: number }[];
  progress: TrainProgress | null;
  backend: BackendSummary | null;
  runDir: string | null;
  metrics: Record<string, unknown> | null;
  message: string | null;
  /** From the engine as the run starts (e.g. the estimated memory need is above what is free). */
  warnings: string[];
  /** Set while the engine holds the job back for a free training slot (1 = next to start). */
  queuePosition: number | null;
}

const RECENT_KEY = 'netwright.recent';
const THEME_KEY = 'netwright.theme';

const emptyTraining = (): TrainingSession => ({
  jobId: null,
  status: 'idle',
  epochs: [],
  batches: [],
  progress: null,
  backend: null,
  runDir: null,
  metrics: null,
  message: null,
  warnings: [],
  queuePosition: null,
});

function initialTheme(): 'light' | 'dark' {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return applyTheme(saved);
  return applyTheme(window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
}

/** The theme lives on <html data-theme>, set here synchronously so anything drawn on a canvas
 *  (charts) reads the new colours when it re-renders for the change. */
function applyTheme(theme: 'light' | 'dark'): 'light' | 'dark' {
  document.documentElement.dataset.theme = theme;
  return theme;
}

/** Progress events received since the last update, applied together by flushProgress(). */
const pendingProgress: TrainProgress[] = [];
/** At most this many store updates a second from progress: each costs a React render, a chart
 *  redraw and a frame (layout, paint, commit), and the curves read just as well at this rate. */
const PROGRESS_UPDATES_PER_SEC = 10;
let flushScheduled = false;
let lastFlush = -Infinity;

/** Run `flush` at the first animation frame a tenth of a second after the previous one, or by a
 *  timer when frames are paused (a hidden tab), so queued progress is never stranded. */
function scheduleFlush(flush: () => void): void {
  if (flushScheduled) return;
  flushScheduled = true;
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    flushScheduled = false;
    lastFlush = performance.now();
    flush();
  };
  const wait = Math.max(0, lastFlush + 1000 / PROGRESS_UPDATES_PER_SEC - performance.now());
  setTimeout(() => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
    setTimeout(run, 250);
  }, wait);
}

/** The training session after a run of progress events (the same object when none applies). */
function applyProgress(t: TrainingSession, events: TrainProgress[]): TrainingSession {
  let next = t;
  let epochs: EpochPoint[] | null = null;
  let batches: TrainingSession['batches'] | null = null;
  for (const p of events) {
    if (next.jobId && next.jobId !== p.jobId) continue;
    next = { ...next, jobId: p.jobId, progress: p };
    if (next.status === 'starting') next.status = 'running';
    if (p.phase === 'epoch') {
      epochs ??= [...t.epochs];
      const point: EpochPoint = {
        epoch: p.epoch,
        loss: p.loss,
        valLoss: p.valLoss,
        metrics: p.metrics,
        valMetrics: p.valMetrics,
      };
      // Epochs arrive in order; an epoch sent again replaces its point.
      const last = epochs[epochs.length - 1];
      if (!last || last.epoch < p.epoch) epochs.push(point);
      else epochs = [...epochs.filter((x) => x.epoch !== p.epoch), point];
    } else if (p.batch !== undefined && p.batches) {
      batches ??= [...t.batches];
      // x in epochs: batch b (1-based) of epoch e ends at (e − 1) + b / batches.
      batches.push({ step: p.epoch - 1 + p.batch / p.batches, loss: p.loss });
    }
  }
  if (epochs) next.epochs = epochs;
  if (batches) next.batches = batches.length > 5000 ? batches.slice(-5000) : batches;
  return next;
}

export interface SessionState {
  theme: 'light' | 'dark';
  dialog: Dialog;
  tab: BottomTab;
  panelOpen: boolean;
  backend: BackendSummary | null;
  backendError: string | null;
  recent: string[];
  training: TrainingSession;
  runs: RunSummary[];
  runsError: string | null;
  /** The editor revision last written to the recovery file, so the title bar can say unsaved work is kept. */
  autosavedRevision: number | null;
  setAutosaved(revision: number | null): void;
  toggleTheme(): void;
  setDialog(d: Dialog): void;
  setTab(t: BottomTab): void;
  togglePanel(): void;
  setBackend(b: BackendSummary | null, error?: string): void;
  addRecent(path: string): void;
  trainingStarting(): void;
  trainingStarted(jobId: string): void;
  trainingFailed(message: string): void;
  trainingStopping(): void;
  onEngineEvent(e: EngineEvent): void;
  /** Apply the progress events waiting for the next frame now (tests, and before start/finish events). */
  flushProgress(): void;
  setRuns(runs: RunSummary[], error?: string | null): void;
}

export const useSession = create<SessionState>()((set, get) => ({
  theme: initialTheme(),
  dialog: null,
  tab: 'training',
  panelOpen: true,
  backend: null,
  backendError: null,
  recent: JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as string[],
  training: emptyTraining(),
  runs: [],
  runsError: null,
  autosavedRevision: null,
  setAutosaved: (autosavedRevision) => set({ autosavedRevision }),
  toggleTheme() {
    const theme = get().theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, theme);
    set({ theme: applyTheme(theme) });
  },
  setDialog: (dialog) => set({ dialog }),
  setTab: (tab) => set({ tab, panelOpen: true }),
  togglePanel: () => set({ panelOpen: !get().panelOpen }),
  setBackend: (backend, error) => set({ backend, backendError: error ?? null }),
  addRecent(path) {
    const recent = [path, ...get().recent.filter((p) => p !== path)].slice(0, 8);
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
    set({ recent });
  },
  trainingStarting: () => {
    pendingProgress.length = 0;
    set({ training: { ...emptyTraining(), status: 'starting' }, tab: 'training', panelOpen: true });
  },
  trainingStarted: (jobId) => set({ training: { ...get().training, jobId, status: 'running' } }),
  trainingFailed: (message) => set({ training: { ...get().training, status: 'failed', message } }),
  trainingStopping: () => set({ training: { ...get().training, status: 'stopping' } }),
  onEngineEvent(e) {
    // Progress can arrive tens of times a second: apply it in batches, in order, so the store, React
    // and the charts update a few times a second however fast the engine streams.
    if (e.kind === 'train-progress') {
      pendingProgress.push(e.progress);
      scheduleFlush(() => get().flushProgress());
      return;
    }
    get().flushProgress();
    const t = get().training;
    if (e.kind === 'train-queued') {
      if (t.jobId && t.jobId !== e.jobId) return;
      set({ training: { ...t, jobId: e.jobId, queuePosition: e.position } });
    } else if (e.kind === 'train-started') {
      if (t.jobId && t.jobId !== e.jobId) return;
      set({
        training: {
          ...t,
          queuePosition: null,
          jobId: e.jobId,
          backend: e.backend,
          warnings: e.warnings ?? [],
          status: t.status === 'stopping' ? 'stopping' : 'running',
        },
      });
    } else if (e.kind === 'train-warnings') {
      if (t.jobId && t.jobId !== e.jobId) return;
      set({ training: { ...t, warnings: [...t.warnings, ...e.warnings] } });
    } else if (e.kind === 'train-finished') {
      if (t.jobId && t.jobId !== e.jobId) return;
      set({
        training: {
          ...t,
          queuePosition: null,
          jobId: e.jobId,
          status: e.status,
          runDir: e.runDir ?? null,
          metrics: e.metrics ?? null,
          message: e.message ?? (e.status === 'cancelled' ? 'Training was stopped.' : null),
        },
      });
    }
  },
  flushProgress() {
    if (!pendingProgress.length) return;
    const batch = pendingProgress.splice(0);
    const next = applyProgress(get().training, batch);
    if (next !== get().training) set({ training: next });
  },
  setRuns: (runs, error = null) => set({ runs, runsError: error }),
}));
