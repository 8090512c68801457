// What the canvas shows for each node, derived from one inspection of the graph. Views whose content
// did not change keep their identity, so only the nodes that changed re-render.
import type { InspectResult } from '../../../engine/graph/inspect.ts';
import { getLayer } from '../../../engine/layers/registry.ts';

export interface NodeView {
  shapeText: string;
  paramCount: number;
  summary: string;
  errors: string[];
  warnings: string[];
  /** Its weights are frozen (trainable: false). */
  frozen: boolean;
}

export interface InspectionView {
  valid: boolean;
  totalParams: number;
  /** Parameters of frozen nodes (part of totalParams). */
  frozenParams: number;
  /** Problems about the whole graph (no node). */
  graphErrors: string[];
  errorCount: number;
  warningCount: number;
  views: Map<string, NodeView>;
  /** Each node's output shape, for checking a new connection without inspecting the graph again. */
  outputShapes: Map<string, (number | null)[] | null>;
}

export const formatShape = (shape: (number | null)[] | null): string =>
  shape ? `[${shape.map((d) => (d === null ? '?' : d)).join(', ')}]` : '—';

function summarize(type: string, params: Record<string, unknown>): string {
  const spec = getLayer(type);
  if (!spec?.summarize) return '';
  try {
    return spec.summarize(params as never);
  } catch {
    return '';
  }
}

const same = (a: NodeView, b: NodeView) =>
  a.shapeText === b.shapeText &&
  a.paramCount === b.paramCount &&
  a.summary === b.summary &&
  a.frozen === b.frozen &&
  a.errors.join('\n') === b.errors.join('\n') &&
  a.warnings.join('\n') === b.warnings.join('\n');

export function buildInspectionView(result: InspectResult, previous?: InspectionView): InspectionView {
  const views = new Map<string, NodeView>();
  const errors = new Map<string, string[]>();
  const warnings = new Map<string, string[]>();
  const graphErrors: string[] = [];
  for (const d of result.diagnostics) {
    if (d.nodeId === null) {
      if (d.severity === 'error') graphErrors.push(d.message);
      continue;
    }
    const bucket = d.severity === 'error' ? errors : warnings;
    bucket.set(d.nodeId, [...(bucket.get(d.nodeId) ?? []), d.message]);
  }
  for (const n of result.nodes) {
    const view: NodeView = {
      shapeText: formatShape(n.outputShape),
      paramCount: n.paramCount,
      summary: summarize(n.type, n.params),
      errors: errors.get(n.id) ?? [],
      warnings: warnings.get(n.id) ?? [],
      frozen: n.frozen === true,
    };
    const old = previous?.views.get(n.id);
    views.set(n.id, old && same(old, view) ? old : view);
  }
  return {
    valid: result.valid,
    totalParams: result.totalParams,
    frozenParams: result.frozenParams,
    graphErrors,
    errorCount: result.diagnostics.filter((d) => d.severity === 'error').length,
    warningCount: result.diagnostics.filter((d) => d.severity === 'warning').length,
    views,
    outputShapes: new Map(result.nodes.map((n) => [n.id, n.outputShape])),
  };
}
