// How a project's graph and settings turn into the data module's inputs. Shared by training,
// re-evaluation of a saved run and cross-validation, so all three see exactly the same splits.
import { inspectGraph } from '../graph/inspect.ts';
import { splitDataset } from '../data/index.ts';
import type { Dataset, LoadContext, Splits } from '../data/types.ts';
import type { Project } from '../project/schema.ts';

export function loadContextFor(project: Project, projectDir: string, seed: number): LoadContext {
  const inspection = inspectGraph(project.graph);
  const byId = new Map(inspection.nodes.map((n) => [n.id, n]));
  const live = inspection.order.filter((id) => byId.get(id));
  const shapeOf = (id: string) => (byId.get(id)?.outputShape ?? []).slice(1).map((d) => d ?? -1);
  const inputs = live.filter((id) => byId.get(id)!.type === 'Input');
  const outputs = live.filter((id) => byId.get(id)!.type === 'Output');
  return {
    projectDir,
    inputShapes: inputs.map(shapeOf),
    outputShapes: outputs.map(shapeOf),
    losses: outputs.map((id) => String(byId.get(id)!.params.loss ?? 'meanSquaredError')),
    seed,
  };
}

export function splitsFor(dataset: Dataset, project: Project, seed: number): Splits {
  return splitDataset(dataset, {
    testSplit: project.data?.testSplit ?? 0.2,
    validationSplit: project.training?.validationSplit ?? 0,
    seed,
  });
}
