// Which CSV files are streamed from disk instead of read whole (docs/DATA.md, "Large CSV files").

/** Files above this size are streamed; smaller ones are read into memory (faster to sample from). */
export const DEFAULT_STREAM_CSV_BYTES = 100 * 1024 * 1024;

/** The streaming threshold in bytes: NETWRIGHT_STREAM_CSV_BYTES (tests lower it), else the default. */
export function streamThresholdBytes(): number {
  const env = Number(process.env.NETWRIGHT_STREAM_CSV_BYTES);
  return Number.isFinite(env) && env > 0 ? env : DEFAULT_STREAM_CSV_BYTES;
}
