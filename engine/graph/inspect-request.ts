// EngineApi.inspect's work: the graph arrives over IPC/HTTP unvalidated, so its nesting and
// structure are checked first and junk gets an 'invalid' error naming the field instead of a
// TypeError deep in shape inference.
import { EngineError } from '../api.ts';
import { depthProblem } from '../project/document-limits.ts';
import { describeIssue, formatPath } from '../project/load.ts';
import { projectSchema } from '../project/schema.ts';
import { inspectGraph, type InspectResult } from './inspect.ts';

export function inspectRequest(graph: unknown): InspectResult {
  const deep = depthProblem(graph, 'The graph');
  if (deep) throw new EngineError({ code: 'invalid', message: deep.message });
  const checked = projectSchema.shape.graph.safeParse(graph);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => ({
      path: formatPath(['graph', ...i.path]),
      message: describeIssue(i),
    }));
    throw new EngineError({
      code: 'invalid',
      message: `The graph is malformed: ${problems[0].path}: ${problems[0].message}`,
      problems,
    });
  }
  return inspectGraph(checked.data);
}
