// One idle worker thread kept for the next task of its kind (a training job's worker, a
// data-parallel replica: docs/ARCHITECTURE.md, "Training jobs"), so that task starts without loading
// the engine in a new thread and with V8's compiled code warm. Parked, the worker is unref'd (it never
// holds the process open) and is ended after `idleMs`, or dropped when it fails or exits (an 'error'
// with no listener would reach the parking thread); parking a second one ends the first.
import type { Worker } from 'node:worker_threads';

export class WorkerSlot {
  private idle: { worker: Worker; timer: ReturnType<typeof setTimeout>; drop: () => void } | null = null;

  constructor(private readonly idleMs: number) {}

  /** The parked worker, referenced again, or null. */
  take(): Worker | null {
    if (!this.idle) return null;
    const { worker, timer, drop } = this.idle;
    this.idle = null;
    clearTimeout(timer);
    worker.off('exit', drop);
    worker.off('error', drop);
    worker.ref();
    return worker;
  }

  park(worker: Worker): void {
    void this.take()?.terminate();
    const drop = () => {
      if (this.idle?.worker === worker) void this.take()?.terminate();
    };
    const timer = setTimeout(drop, this.idleMs);
    timer.unref();
    worker.on('exit', drop);
    worker.on('error', drop);
    worker.unref();
    this.idle = { worker, timer, drop };
  }
}
