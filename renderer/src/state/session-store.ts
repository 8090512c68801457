// Everything outside the graph: theme, dialogs, training session, runs, recent files.
import { create } from 'zustand';
import type { BackendSummary, EngineEvent, RunSummary, TrainProgress } from '../../../engine/api.ts';

export type Dialog = 'templates' | 'open' | 'saveAs' | 'help' | null;
export type BottomTab = 'training' | 'data' | 'export' | 'runs';
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
  trainingStarting: () =>
    set({ training: { ...emptyTraining(), status: 'starting' }, tab: 'training', panelOpen: true }),
  trainingStarted: (jobId) => set({ training: { ...get().training, jobId, status: 'running' } }),
  trainingFailed: (message) => set({ training: { ...get().training, status: 'failed', message } }),
  trainingStopping: () => set({ training: { ...get().training, status: 'stopping' } }),
  onEngineEvent(e) {
    const t = get().training;
    if (e.kind === 'train-started') {
      if (t.jobId && t.jobId !== e.jobId) return;
      set({
        training: {
          ...t,
          jobId: e.jobId,
          backend: e.backend,
          warnings: e.warnings ?? [],
          status: t.status === 'stopping' ? 'stopping' : 'running',
        },
      });
    } else if (e.kind === 'train-progress') {
      const p = e.progress;
      if (t.jobId && t.jobId !== p.jobId) return;
      const next: TrainingSession = { ...t, jobId: p.jobId, progress: p };
      if (t.status === 'starting') next.status = 'running';
      if (p.phase === 'epoch') {
        const point: EpochPoint = {
          epoch: p.epoch,
          loss: p.loss,
          valLoss: p.valLoss,
          metrics: p.metrics,
          valMetrics: p.valMetrics,
        };
        next.epochs = [...t.epochs.filter((x) => x.epoch !== p.epoch), point];
      } else if (p.batch !== undefined && p.batches) {
        next.batches = [...t.batches, { step: p.epoch + (p.batch + 1) / p.batches, loss: p.loss }].slice(
          -5000,
        );
      }
      set({ training: next });
    } else if (e.kind === 'train-finished') {
      if (t.jobId && t.jobId !== e.jobId) return;
      set({
        training: {
          ...t,
          jobId: e.jobId,
          status: e.status,
          runDir: e.runDir ?? null,
          metrics: e.metrics ?? null,
          message: e.message ?? (e.status === 'cancelled' ? 'Training was stopped.' : null),
        },
      });
    }
  },
  setRuns: (runs, error = null) => set({ runs, runsError: error }),
}));
