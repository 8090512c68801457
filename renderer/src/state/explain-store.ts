// Which run (and test example) the Explain tab shows: set by the tab itself, or by a link from the
// Runs tab. Its own small store so the session store stays as it is.
import { create } from 'zustand';

interface ExplainTarget {
  runDir: string | null;
  /** A test-split sample to explain, when a link named one. */
  example: number | null;
  setTarget(runDir: string | null, example?: number | null): void;
}

export const useExplainTarget = create<ExplainTarget>((set) => ({
  runDir: null,
  example: null,
  setTarget: (runDir, example = null) => set({ runDir, example }),
}));
