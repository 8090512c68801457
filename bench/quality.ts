// Quality report (`npm run quality`, not part of npm test): trains every example project in
// resources/examples/ with its own settings on the backend selectBackend picks, and prints its
// test metrics against the targets of issue #3. Usage: npm run quality [-- --only iris-mlp,mnist-cnn] [--backend wasm]
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BackendChoice } from '../engine/backend.ts';
import { headlineMetrics } from '../engine/eval/evaluate.ts';
import { readProjectFile } from '../engine/project/files.ts';
import { trainProject } from '../engine/train/train-project.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../resources/examples');

/** Pass/fail targets; examples without one are reported only. */
const TARGETS: Record<string, { metric: string; atLeast: number }> = {
  'iris-mlp': { metric: 'accuracy', atLeast: 0.93 },
  'mnist-cnn': { metric: 'accuracy', atLeast: 0.97 },
  'defect-cnn': { metric: 'accuracy', atLeast: 0.9 },
};

/**
 * Epochs used here where the example's own setting is kept short for a snappy first run in the UI
 * (printed beside each result).
 */
const EPOCHS: Record<string, number> = { 'mnist-cnn': 6 };

/** The process's high-water resident memory (run with --only <id> for one example's own figure). */
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = arg('only')?.split(',');
const backend = (arg('backend') ?? 'auto') as BackendChoice;
const files = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.netwright.json')).sort();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'nw-quality-'));
let failures = 0;

for (const file of files) {
  const id = file.replace('.netwright.json', '');
  if (only && !only.includes(id)) continue;
  const read = await readProjectFile(path.join(EXAMPLES, file));
  if (!read.ok) {
    console.log(`${id}: cannot load (${'unreadable' in read ? read.unreadable : read.problems[0].message})`);
    failures++;
    continue;
  }
  const outcome = await trainProject({
    project: read.project,
    projectPath: path.join(EXAMPLES, file),
    outDir: path.join(tmp, id),
    backend,
    epochs: EPOCHS[id],
  });
  const secs = outcome.info.timings?.totalSec ?? 0;
  if (outcome.status !== 'complete' || !outcome.metrics) {
    console.log(`${id}: ${outcome.status}${outcome.message ? ` — ${outcome.message}` : ''}`);
    failures++;
    continue;
  }
  const m = headlineMetrics(outcome.metrics);
  const shown = Object.entries(m)
    .map(([k, v]) => `${k} ${Math.abs(v) >= 100 ? v.toFixed(2) : v.toFixed(4)}`)
    .join('  ');
  const target = TARGETS[id];
  let verdict = '';
  if (target) {
    const ok = m[target.metric] >= target.atLeast;
    if (!ok) failures++;
    verdict = `  [${ok ? 'PASS' : 'FAIL'}: ${target.metric} ≥ ${target.atLeast}]`;
  } else if (outcome.metrics.task === 'forecast' && outcome.metrics.naive) {
    verdict = `  [model MAE ${outcome.metrics.mae < outcome.metrics.naive.mae ? 'beats' : 'does not beat'} the naive last-value MAE]`;
  }
  const n = outcome.info.samples;
  console.log(
    `${id}: ${shown}${verdict}\n    test ${n?.test} / train ${n?.train} samples, ${outcome.history.length} epochs, ${secs}s on ${outcome.backend?.label}, process peak RSS so far ${peakRssMiB()} MiB`,
  );
}
await rm(tmp, { recursive: true, force: true });
process.exitCode = failures > 0 ? 1 : 0;
