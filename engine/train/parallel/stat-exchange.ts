// The batch-statistics exchange between the trainer (side 0) and a replica worker (side 1): the
// transport behind engine/kernels/batch-stat-sync.ts. Each exchange is a barrier: a side writes its
// vector into its slot, publishes its exchange count, and waits until the other side has published
// the same count. Two slots per side, alternating, suffice: a side can only be one exchange ahead
// of the other, so the slot it writes next is one the other side has finished reading.
//
// Nothing may wait forever: a side that fails (the worker's `failed`, the trainer's `aborted`) wakes
// the other, which throws; a side that vanishes without a word is given up after the timeout.
import type { BatchStatSync } from '../../kernels/batch-stat-sync.ts';
import { CTRL, type SharedViews } from './layout.ts';

const ARRIVED = [CTRL.arrived0, CTRL.arrived1] as const;

export interface ExchangeFault {
  at: number;
  how: 'throw' | 'exit';
}

export interface StatExchangeOptions {
  views: SharedViews;
  side: 0 | 1;
  timeoutMs: number;
  /** How long a side spins for the other before it sleeps in Atomics.wait. */
  spin: SpinGate;
  /** Tests only: this side fails at its n-th exchange, as a thread that breaks mid-step would:
   *  by an error, or by ending its thread without a word. */
  fault?: ExchangeFault;
}

export function statExchange(o: StatExchangeOptions): BatchStatSync {
  const { views, side } = o;
  const other = (1 - side) as 0 | 1;
  const slot = (s: 0 | 1, n: number) =>
    views.sync.subarray((s * 2 + (n & 1)) * views.syncSlotSize, (s * 2 + (n & 1) + 1) * views.syncSlotSize);
  let count = Atomics.load(views.ctrl, ARRIVED[side]);
  let faulted = false;
  return {
    exchange(tag, mine) {
      const n = (count + 1) | 0;
      if (o.fault?.at === n && !faulted) {
        faulted = true;
        breakThread(o.fault.how);
      }
      if (mine.length + 2 > views.syncSlotSize)
        throw new Error(`batch statistics of ${mine.length} values do not fit the exchange`);
      const out = slot(side, n);
      out[0] = tag;
      out[1] = mine.length;
      out.set(mine, 2);
      count = n;
      Atomics.store(views.ctrl, ARRIVED[side], n);
      Atomics.notify(views.ctrl, ARRIVED[side]);
      waitForArrival(views, other, n, o.timeoutMs, o.spin);
      const theirs = slot(other, n);
      if (theirs[0] !== tag || theirs[1] !== mine.length)
        throw new Error("the two threads' batch statistics are out of step");
      const copy = Float64Array.from(theirs.subarray(2, 2 + mine.length));
      return side === 0 ? [mine, copy] : [copy, mine];
    },
  };
}

/** Tests only (ExchangeFault): fail as a thread that breaks mid-step would. */
export function breakThread(how: ExchangeFault['how']): never {
  if (how === 'exit') process.exit(1);
  throw new Error('a test stopped this thread');
}

/**
 * How long a thread spins for the other before it sleeps in Atomics.wait, at one kind of hand-off: a
 * fixed time, or (adaptive) up to capMs only while most of this thread's recent waits there ended
 * within capMs. Then the other thread is running alongside and about to arrive, and spinning saves
 * the wake-up from Atomics.wait at every hand-off; where the waits run long (the machine's other work
 * holds the cores) a spinning thread would take a core from the one it waits for
 * (bench/KERNEL-MEASUREMENTS.md), so it stops spinning, and starts again once the waits are short.
 * Waits the other thread had already ended before this one arrived are not counted.
 */
export class SpinGate {
  /** The share of recent waits that ended within capMs (an exponential average over ~8). */
  private short = 0;

  constructor(
    private readonly capMs: number,
    private readonly adaptive: boolean,
  ) {}

  /** How long to spin now. */
  get ms(): number {
    return !this.adaptive || this.short >= 0.5 ? this.capMs : 0;
  }

  /** A wait that lasted `ms`. */
  record(ms: number): void {
    if (this.adaptive) this.short += ((ms <= this.capMs ? 1 : 0) - this.short) / 8;
  }

  /** Spins while `ready()` is false, for at most `ms` (not at all when it already holds: such a wait
   *  is not counted); the caller then sleeps until it holds and calls the result, which records the
   *  wait. */
  spin(ready: () => boolean): () => void {
    if (ready()) return () => {};
    const start = performance.now();
    const ms = this.ms;
    while (!ready() && performance.now() - start < ms);
    return () => this.record(performance.now() - start);
  }
}

/** Wait until `side` (the other one) has published exchange n. */
function waitForArrival(views: SharedViews, side: 0 | 1, n: number, timeoutMs: number, gate: SpinGate): void {
  const slot = ARRIVED[side];
  const arrived = () => ((Atomics.load(views.ctrl, slot) - n) | 0) >= 0;
  const start = performance.now();
  const waited = gate.spin(arrived);
  for (;;) {
    // The other side's failure first: it may have arrived before failing, and what it left is not
    // to be used.
    if (side === 1 && Atomics.load(views.ctrl, CTRL.failed)) throw replicaFailure(views);
    if (side === 0 && Atomics.load(views.ctrl, CTRL.aborted))
      throw new Error('the training thread gave up the step');
    const seen = Atomics.load(views.ctrl, slot);
    if (((seen - n) | 0) >= 0) {
      waited();
      return;
    }
    if (performance.now() - start > timeoutMs)
      throw new Error(`the other training thread did not answer within ${Math.round(timeoutMs / 1000)} s`);
    Atomics.wait(views.ctrl, slot, seen, 1000);
  }
}

/** The worker's failure (set by it in `failed` and `error`), as one sentence. */
export function replicaFailure(views: SharedViews): Error {
  const text = new TextDecoder().decode(views.error.slice()).replace(/\0+$/, '');
  return new Error(`the replica worker failed: ${text || 'unknown error'}`);
}

/** Wake a side waiting in an exchange (after setting `failed` or `aborted`). */
export function wakeExchanges(views: SharedViews): void {
  for (const slot of ARRIVED) Atomics.notify(views.ctrl, slot);
}
