// Totals and validity of the graph, and the latest notice.
import { useEffect, useState } from 'react';
import { useEditor } from '../state/editor-store.ts';
import { formatCount } from '../format-count.ts';

const NOTICE_MS = 6000;

export function StatusBar() {
  const inspection = useEditor((s) => s.inspection);
  const nodeCount = useEditor((s) => s.nodes.length);
  const edgeCount = useEditor((s) => s.edges.length);
  const notice = useEditor((s) => s.notice);
  const [, tick] = useState(0);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => tick((n) => n + 1), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice]);
  const showNotice = notice && Date.now() - notice.at < NOTICE_MS;
  const firstProblem = inspection.graphErrors[0];
  return (
    <footer className="statusbar" role="contentinfo">
      <span
        className={`statusbar__validity ${inspection.valid ? 'is-valid' : 'is-invalid'}`}
        data-testid="graph-validity"
      >
        {inspection.valid
          ? '✓ Valid'
          : `✗ ${inspection.errorCount} problem${inspection.errorCount === 1 ? '' : 's'}${firstProblem ? `: ${firstProblem}` : ''}`}
      </span>
      {inspection.warningCount > 0 && (
        <span className="warning-text">
          {inspection.warningCount} warning{inspection.warningCount === 1 ? '' : 's'}
        </span>
      )}
      <span data-testid="total-params">{formatCount(inspection.totalParams)} parameters</span>
      {inspection.frozenParams > 0 && (
        <span data-testid="frozen-params">
          {formatCount(inspection.totalParams - inspection.frozenParams)} trainable ·{' '}
          {formatCount(inspection.frozenParams)} frozen
        </span>
      )}
      <span className="muted">
        {nodeCount} nodes · {edgeCount} edges
      </span>
      <span className="statusbar__spacer" />
      {showNotice && (
        <span
          className={`statusbar__notice is-${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
          data-testid="notice"
        >
          {notice.text}
        </span>
      )}
      <span className="muted">? shortcuts</span>
    </footer>
  );
}
