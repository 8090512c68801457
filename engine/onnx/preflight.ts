// Pre-flight: every node that can't be exported to ONNX, and why, found before anything is written.
import type { InspectResult } from '../graph/inspect.ts';
import type { Shape } from '../layers/types.ts';
import { liveNodes } from '../graph/live-nodes.ts';
import { onnxEmitterFor } from './emitter-registry.ts';
import { opsetProblem } from './opsets.ts';

export interface ExportProblem {
  /** null when the problem concerns the whole model. */
  nodeId: string | null;
  message: string;
}

export function onnxPreflight(inspection: InspectResult, opset: number): ExportProblem[] {
  const problems: ExportProblem[] = [];
  const opsetIssue = opsetProblem(opset);
  if (opsetIssue) problems.push({ nodeId: null, message: opsetIssue });
  if (!inspection.valid) {
    for (const d of inspection.diagnostics.filter((x) => x.severity === 'error'))
      problems.push({ nodeId: d.nodeId, message: d.message });
    return problems;
  }
  const shapeOf = new Map(inspection.nodes.map((n) => [n.id, (n.outputShape ?? []).slice(1) as Shape]));
  for (const node of liveNodes(inspection)) {
    if (node.type === 'Input' || node.type === 'Output') continue;
    const emitter = onnxEmitterFor(node.type);
    if (!emitter) {
      problems.push({ nodeId: node.id, message: `${node.type} layers have no ONNX exporter yet.` });
      continue;
    }
    if (opsetIssue) continue;
    const reasons = emitter.check?.({
      params: node.params,
      inputShapes: node.inputs.map((s) => shapeOf.get(s)!),
      outputShape: shapeOf.get(node.id)!,
      opset,
    });
    for (const reason of reasons ?? [])
      problems.push({ nodeId: node.id, message: `${node.type}: ${reason}` });
  }
  return problems;
}
