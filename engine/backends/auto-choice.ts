// `auto` between a GPU and a CPU backend, by measurement on the user's model: a small MLP often
// trains faster on the CPU (every step pays the GPU's dispatch and read-back latency), a conv net on
// the GPU. The caller times a few real training steps on each candidate; this picks the fastest
// and says so in one line, e.g. "WebGPU on NVIDIA H200: 9.1 ms/step vs WebAssembly 41 ms/step".

export interface TimedCandidate<T> {
  value: T;
  /** e.g. "WebGPU on NVIDIA H200", "WebAssembly". */
  name: string;
  /** null when the timing failed (see failure). */
  msPerStep: number | null;
  failure?: string;
}

export interface Choice<T> {
  value: T;
  reason: string;
}

/** Fastest measured candidate; ties go to the earlier one; when none could be timed, the last (the CPU rung). */
export function chooseFastest<T>(candidates: readonly TimedCandidate<T>[]): Choice<T> {
  if (candidates.length === 0) throw new Error('chooseFastest needs at least one candidate');
  const timed = candidates.filter((c) => c.msPerStep !== null && Number.isFinite(c.msPerStep));
  if (timed.length === 0) {
    const fallback = candidates.at(-1)!;
    return {
      value: fallback.value,
      reason: `${fallback.name}: no candidate could be timed (${describeFailures(candidates)})`,
    };
  }
  const best = timed.reduce((a, b) => (b.msPerStep! < a.msPerStep! ? b : a));
  const others = candidates
    .filter((c) => c !== best)
    .map((c) =>
      c.msPerStep === null
        ? `${c.name} failed (${c.failure ?? 'no timing'})`
        : `${c.name} ${formatMs(c.msPerStep)}`,
    );
  return {
    value: best.value,
    reason: `${best.name}: ${formatMs(best.msPerStep!)}${others.length ? ` vs ${others.join(', ')}` : ''}`,
  };
}

function describeFailures<T>(candidates: readonly TimedCandidate<T>[]): string {
  return candidates.map((c) => `${c.name}: ${c.failure ?? 'no timing'}`).join(', ');
}

/** "9.1 ms/step", "41 ms/step", "0.42 ms/step": two or three significant digits. */
export function formatMs(ms: number): string {
  const digits = ms >= 10 ? 0 : ms >= 1 ? 1 : 2;
  return `${ms.toFixed(digits)} ms/step`;
}
