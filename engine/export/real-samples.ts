// Real samples for the parity check of a trained run: the first samples of its test split, loaded
// and preprocessed exactly as `netwright evaluate` does. Optional: when the data can't be loaded
// again, the check runs on seeded inputs only and says why.
import { applyPreprocessing } from '../data/index.ts';
import type { Project } from '../project/schema.ts';
import { openRunOf } from '../runs/load-run.ts';
import { testSplitOfRun } from '../train/data-context.ts';
import type { ParityRequest } from './parity.ts';

export const REAL_SAMPLES = 32;

export type RealSamples = NonNullable<ParityRequest['realSamples']> & { source: string };

/** `project` is the run's project as the caller already read it: the run folder is not read twice. */
export async function realSamplesOfRun(
  runDir: string,
  project: Project,
  inputNames: string[],
  count = REAL_SAMPLES,
): Promise<{ samples?: RealSamples; note?: string }> {
  try {
    const run = await openRunOf(runDir, project);
    if (!run.project.data) return { note: 'the project has no data section' };
    const x = applyPreprocessing(run.prep, await testSplitOfRun(run)).x;
    if (x.length !== inputNames.length)
      return { note: `the dataset has ${x.length} inputs but the model ${inputNames.length}` };
    const n = Math.min(count, x[0]?.shape[0] ?? 0);
    if (!n) return { note: 'the test split is empty' };
    const data: Record<string, Float32Array> = {};
    inputNames.forEach((name, i) => {
      const per = x[i].data.length / x[i].shape[0];
      data[name] = x[i].data.slice(0, n * per);
    });
    return { samples: { count: n, data, source: run.project.data.source } };
  } catch (err) {
    return { note: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
