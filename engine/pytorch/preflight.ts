// Pre-flight for the PyTorch package: every node with no faithful PyTorch equivalent, each named in
// one sentence, found before anything is written.
import type { InspectResult } from '../graph/inspect.ts';
import type { ExportProblem } from '../onnx/preflight.ts';
import { torchGraph } from './torch-graph.ts';

export function torchPreflight(inspection: InspectResult): ExportProblem[] {
  if (!inspection.valid)
    return inspection.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => ({ nodeId: d.nodeId, message: d.message }));
  const graph = torchGraph(inspection);
  const problems: ExportProblem[] = [];
  for (const node of graph.nodes) {
    if (node.type === 'Input' || node.type === 'Output') continue;
    const emitter = graph.emitters.get(node.id);
    if (!emitter) {
      problems.push({
        nodeId: node.id,
        message: `Node "${node.id}" is a ${node.type} layer, which has no PyTorch equivalent in this exporter.`,
      });
      continue;
    }
    for (const reason of emitter.check?.(node) ?? [])
      problems.push({ nodeId: node.id, message: `Node "${node.id}" (${node.type}): ${reason}.` });
  }
  return problems;
}
