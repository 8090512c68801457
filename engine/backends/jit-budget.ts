// How soon V8 optimises JavaScript, for training on WebAssembly. V8 compiles a function with
// TurboFan once it has run a budget of bytecode (--interrupt-budget, 67,584 in Node 20). A training
// step runs each of tfjs' per-op functions (kernel dispatch, the gradient tape, tensor bookkeeping)
// only a few times, so at that budget a run's JavaScript is still being optimised for its first
// ~800 steps; at TIERING_BUDGET a Conv1D classifier's settled after ~300–400 steps and ran with
// less CPU after that too; a kernel-bound model is unchanged (bench/KERNEL-MEASUREMENTS.md). The
// flag is process-wide and read each time a function's budget is reset, so setting it when the
// backend loads reaches code already loaded; NETWRIGHT_JIT_BUDGET=default leaves V8's own.
import { setV8Flag } from '../v8-flag.ts';

const TIERING_BUDGET = 8000;

let done = false;

export function optimiseSooner(): void {
  if (done) return;
  done = true;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.NETWRIGHT_JIT_BUDGET !== 'default') setV8Flag(`--interrupt-budget=${TIERING_BUDGET}`);
}
