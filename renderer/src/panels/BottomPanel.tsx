// The docked panel under the canvas: Training, Data, Export, Runs, Explain, Predict.
import { useShallow } from 'zustand/react/shallow';
import { useSession, type BottomTab } from '../state/session-store.ts';
import { TrainingPanel } from './TrainingPanel.tsx';
import { RunsPanel } from './RunsPanel.tsx';
import { DataPanel } from './DataPanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { DockResizer, useDockHeight } from './DockResizer.tsx';
import { ExplainPanel } from './explain/ExplainPanel.tsx';
import { PredictPanel } from './PredictPanel.tsx';

const TABS: { id: BottomTab; label: string }[] = [
  { id: 'training', label: 'Training' },
  { id: 'data', label: 'Data' },
  { id: 'export', label: 'Export' },
  { id: 'runs', label: 'Runs' },
  { id: 'explain', label: 'Explain' },
  { id: 'predict', label: 'Predict' },
];

export function BottomPanel() {
  // Only what the tabs need: training progress must not re-render every panel of the dock.
  const { tab, setTab, panelOpen, togglePanel } = useSession(
    useShallow((s) => ({ tab: s.tab, setTab: s.setTab, panelOpen: s.panelOpen, togglePanel: s.togglePanel })),
  );
  const [height, setHeight] = useDockHeight();
  return (
    <section
      className={`dock ${panelOpen ? '' : 'is-collapsed'}`}
      aria-label="Training, data and export"
      style={panelOpen ? { height } : undefined}
      data-testid="dock"
    >
      {panelOpen && <DockResizer height={height} onResize={setHeight} />}
      <div className="dock__tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={`dock__tab ${tab === t.id ? 'is-active' : ''}`}
            onClick={() => setTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
        <span className="statusbar__spacer" />
        <button
          className="btn btn--ghost btn--icon"
          onClick={togglePanel}
          aria-label={panelOpen ? 'Collapse panel' : 'Expand panel'}
          aria-expanded={panelOpen}
        >
          {panelOpen ? '▾' : '▴'}
        </button>
      </div>
      {panelOpen && (
        <div className="dock__content" role="tabpanel">
          {/* Training stays mounted so its charts keep their state while other tabs are shown. */}
          <div hidden={tab !== 'training'}>
            <TrainingPanel />
          </div>
          {tab === 'data' && <DataPanel />}
          <div hidden={tab !== 'export'}>
            <ExportPanel />
          </div>
          {tab === 'runs' && <RunsPanel />}
          {tab === 'explain' && <ExplainPanel />}
          {tab === 'predict' && <PredictPanel />}
        </div>
      )}
    </section>
  );
}
