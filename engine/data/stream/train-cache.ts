// The training split of a streamed CSV as a binary file on disk: one record per sample, in
// training order, of Float32 features then targets (raw: unscaled, NaN for missing). Rows arrive in
// file order, so they are first appended to bucket files by training position (sequential writes),
// then each bucket is read, put in order and appended to the cache — while the training rows'
// statistics are summed in exactly the order the in-memory path sums them.
import { closeSync, openSync, readSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { FeatureStatsAccumulator, scaleInto, type FeatureStats } from '../preprocess.ts';
import type { FeatureScaler } from '../types.ts';

/** Training positions per bucket: a bucket (a few tens of MB at most) is sorted in memory. */
const BUCKET_ROWS = 1 << 18;
/** Bytes buffered per bucket before a write. */
const BUCKET_BUFFER = 1 << 16;

export interface TrainCache {
  file: string;
  samples: number;
  width: number;
  yWidth: number;
  xStats: FeatureStats;
  yStats: FeatureStats;
  /** Source line of each training sample, in training order. */
  lines: Int32Array;
}

export class BucketWriter {
  private readonly fds: number[] = [];
  private readonly ints: Int32Array[] = [];
  private readonly floats: Float32Array[] = [];
  private readonly fill: number[] = [];
  private readonly record: number;

  constructor(
    private readonly dir: string,
    private readonly samples: number,
    private readonly width: number,
    private readonly yWidth: number,
  ) {
    mkdirSync(dir, { recursive: true });
    // 32-bit words: position, line, features, targets.
    this.record = 2 + width + yWidth;
    const buckets = Math.ceil(samples / BUCKET_ROWS);
    const words = Math.max(1, Math.floor(BUCKET_BUFFER / (this.record * 4))) * this.record;
    for (let b = 0; b < buckets; b++) {
      this.fds.push(openSync(this.bucketFile(b), 'w'));
      const buf = new ArrayBuffer(words * 4);
      this.ints.push(new Int32Array(buf));
      this.floats.push(new Float32Array(buf));
      this.fill.push(0);
    }
  }

  private bucketFile(b: number): string {
    return path.join(this.dir, `bucket-${b}.bin`);
  }

  add(position: number, line: number, x: Float32Array, y: Float32Array): void {
    const b = Math.floor(position / BUCKET_ROWS);
    const ints = this.ints[b];
    const floats = this.floats[b];
    const at = this.fill[b];
    ints[at] = position;
    ints[at + 1] = line;
    floats.set(x, at + 2);
    floats.set(y, at + 2 + this.width);
    this.fill[b] = at + this.record;
    if (this.fill[b] + this.record > ints.length) this.flush(b);
  }

  /** Fill counts 32-bit words. */
  private flush(b: number): void {
    if (this.fill[b] > 0) writeSync(this.fds[b], new Uint8Array(this.ints[b].buffer, 0, this.fill[b] * 4));
    this.fill[b] = 0;
  }

  /**
   * Every bucket in training order into `file`; returns the cache with the training rows'
   * statistics (features; targets when `targetStats`), summed sample after sample.
   */
  finish(file: string, targetStats: boolean): TrainCache {
    const { width: w, yWidth: k, record } = this;
    this.fds.forEach((_, b) => this.flush(b));
    this.fds.forEach((fd) => closeSync(fd));
    const xAcc = new FeatureStatsAccumulator(w);
    const yAcc = new FeatureStatsAccumulator(k);
    const lines = new Int32Array(this.samples);
    const out = openSync(file, 'w');
    try {
      for (let b = 0; b < this.fds.length; b++) {
        const first = b * BUCKET_ROWS;
        const count = Math.min(BUCKET_ROWS, this.samples - first);
        const raw = new ArrayBuffer(count * record * 4);
        const fd = openSync(this.bucketFile(b), 'r');
        try {
          readSync(fd, new Uint8Array(raw), 0, raw.byteLength, 0);
        } finally {
          closeSync(fd);
        }
        rmSync(this.bucketFile(b));
        const ints = new Int32Array(raw);
        const floats = new Float32Array(raw);
        const rows = new Float32Array(count * (w + k));
        for (let r = 0; r < count; r++) {
          const at = r * record;
          const slot = ints[at] - first;
          lines[first + slot] = ints[at + 1];
          rows.set(floats.subarray(at + 2, at + record), slot * (w + k));
        }
        for (let r = 0; r < count; r++) {
          const at = r * (w + k);
          xAcc.add(rows, at, at + w);
          if (targetStats) yAcc.add(rows, at + w, at + w + k);
        }
        writeSync(out, new Uint8Array(rows.buffer));
      }
    } finally {
      closeSync(out);
    }
    return {
      file,
      samples: this.samples,
      width: w,
      yWidth: k,
      xStats: xAcc.result(),
      yStats: yAcc.result(),
      lines,
    };
  }

  /** Removes the bucket files (after a failure). */
  discard(): void {
    for (let b = 0; b < this.fds.length; b++) {
      try {
        closeSync(this.fds[b]);
      } catch {
        // already closed by finish()
      }
      rmSync(this.bucketFile(b), { force: true });
    }
  }
}

/**
 * Batches of training samples read from the cache by index and scaled as applyPreprocessing scales
 * them (engine/data/preprocess.ts), so memory holds one batch, not the split.
 */
export class CachedRows {
  readonly samples: number;
  private readonly fd: number;
  private readonly rowBytes: number;
  private buffer = new ArrayBuffer(0);

  constructor(
    private readonly cache: TrainCache,
    private readonly xScaler: FeatureScaler,
    private readonly yScaler: FeatureScaler | null,
  ) {
    this.samples = cache.samples;
    this.fd = openSync(cache.file, 'r');
    this.rowBytes = (cache.width + cache.yWidth) * 4;
  }

  take(rows: ArrayLike<number>): { x: Float32Array; y: Float32Array } {
    const { width: w, yWidth: k } = this.cache;
    const n = rows.length;
    if (this.buffer.byteLength < n * this.rowBytes) this.buffer = new ArrayBuffer(n * this.rowBytes);
    const bytes = new Uint8Array(this.buffer);
    for (let i = 0; i < n; i++)
      readSync(this.fd, bytes, i * this.rowBytes, this.rowBytes, rows[i] * this.rowBytes);
    const all = new Float32Array(this.buffer, 0, n * (w + k));
    const rawX = new Float32Array(n * w);
    const y = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      rawX.set(all.subarray(i * (w + k), i * (w + k) + w), i * w);
      y.set(all.subarray(i * (w + k) + w, (i + 1) * (w + k)), i * k);
    }
    const x = new Float32Array(n * w);
    scaleInto(rawX, x, this.xScaler);
    if (this.yScaler) scaleInto(y, y, this.yScaler);
    return { x, y };
  }

  close(): void {
    closeSync(this.fd);
  }
}
