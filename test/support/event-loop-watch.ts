// Watches this thread's event loop while a test runs something heavy. Two figures:
// - busyMs: the longest time the loop spent running code between two ticks of a 10 ms timer
//   (performance.eventLoopUtilization's active time). A synchronous block of N ms shows as N ms;
//   time the OS leaves an idle process unscheduled does not, so a loaded machine cannot fail it.
// - lateMs: the timer's worst lateness, what a user would feel; printed, since on a loaded machine
//   it also measures the other processes.
import { performance } from 'node:perf_hooks';

export interface LoopFigures {
  busyMs: number;
  lateMs: number;
}

export function watchEventLoop(periodMs = 10): { stop(): LoopFigures } {
  let before = performance.eventLoopUtilization();
  let last = performance.now();
  const worst: LoopFigures = { busyMs: 0, lateMs: 0 };
  const timer = setInterval(() => {
    const now = performance.now();
    const elu = performance.eventLoopUtilization();
    worst.busyMs = Math.max(worst.busyMs, performance.eventLoopUtilization(elu, before).active);
    worst.lateMs = Math.max(worst.lateMs, now - last - periodMs);
    before = elu;
    last = now;
  }, periodMs);
  return {
    stop() {
      clearInterval(timer);
      return { ...worst };
    },
  };
}
