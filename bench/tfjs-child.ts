// One workload on one tfjs backend in a process of its own (forked by bench/train-bench.ts), so the
// peak resident memory it reports belongs to that workload alone. Each message from the parent runs
// one measurement; the answer carries the result and the process's peak RSS so far.
import type { BackendChoice } from '../engine/backend.ts';
import { runTfjs, type RunSize, type TfjsResult } from './tfjs-run.ts';
import { WORKLOADS } from './workloads.ts';

export interface ChildRequest {
  workload: string;
  backend: BackendChoice;
  size: RunSize;
  /** false: one thread (the plan's choice otherwise). */
  dataParallel?: boolean;
}

export type ChildAnswer = { result: TfjsResult; peakRssKb: number } | { error: string };

process.on('message', (req: ChildRequest) => {
  const w = WORKLOADS.find((x) => x.id === req.workload);
  const answer = (a: ChildAnswer) => process.send!(a);
  if (!w) return answer({ error: `no workload ${req.workload}` });
  runTfjs(w, req.backend, req.dataParallel, req.size).then(
    (result) => answer({ result, peakRssKb: process.resourceUsage().maxRSS }),
    (err: Error) => answer({ error: err.message }),
  );
});
