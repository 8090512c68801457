// Real samples for the parity checks of a trained run: the first samples of its test split, loaded
// and preprocessed exactly as `netwright evaluate` does (the network's check), and the same samples
// raw (the deployment model's check). Optional: when the data can't be loaded again, the checks run
// on seeded inputs only and say why.
import { applyPreprocessing } from '../data/index.ts';
import type { TensorData } from '../data/types.ts';
import type { Project } from '../project/schema.ts';
import { openRunOf, type OpenedRun } from '../runs/load-run.ts';
import { testSplitOfRun } from '../train/data-context.ts';
import type { ParityRequest } from './parity.ts';

export const REAL_SAMPLES = 32;

export type RealSamples = NonNullable<ParityRequest['realSamples']> & { source: string };

export interface RunSamples {
  samples?: RealSamples;
  /** The same samples before preprocessing, one tensor per model input. */
  raw?: TensorData[];
  /** The run (record + preprocessing), when its folder has them. */
  run?: OpenedRun;
  note?: string;
}

const firstRows = (t: TensorData, n: number): TensorData => {
  const per = t.data.length / Math.max(1, t.shape[0]);
  return { data: t.data.slice(0, n * per), shape: [n, ...t.shape.slice(1)] };
};

/** `project` is the run's project as the caller already read it: the run folder is not read twice. */
export async function realSamplesOfRun(
  runDir: string,
  project: Project,
  inputNames: string[],
  count = REAL_SAMPLES,
): Promise<RunSamples> {
  let run: OpenedRun;
  try {
    run = await openRunOf(runDir, project);
  } catch (err) {
    return { note: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
  try {
    if (!run.project.data) return { run, note: 'the project has no data section' };
    const test = await testSplitOfRun(run);
    const x = applyPreprocessing(run.prep, test).x;
    if (x.length !== inputNames.length)
      return { run, note: `the dataset has ${x.length} inputs but the model ${inputNames.length}` };
    const n = Math.min(count, x[0]?.shape[0] ?? 0);
    if (!n) return { run, note: 'the test split is empty' };
    const data: Record<string, Float32Array> = {};
    inputNames.forEach((name, i) => (data[name] = firstRows(x[i], n).data));
    return {
      run,
      samples: { count: n, data, source: run.project.data.source },
      raw: test.x.map((t) => firstRows(t, n)),
    };
  } catch (err) {
    return { run, note: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}
