// CPU time per thread for the benches that split work across threads (bench/split-step.ts,
// bench/cold-steps.ts): Linux's /proc schedstat; elsewhere NaN and no threads.
import { readdirSync, readFileSync } from 'node:fs';

/** A thread's CPU time in ms (this process's main thread by default). */
export function threadCpuMs(tid: number | string = process.pid): number {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** This process's thread ids. */
export function threads(): string[] {
  try {
    return readdirSync('/proc/self/task');
  } catch {
    return [];
  }
}

/** This process's CPU time in ms, all threads. */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
