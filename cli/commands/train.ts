import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { EngineEvent, TrainProgress } from '../../engine/api.ts';
import type { BackendChoice } from '../../engine/backend.ts';
import { crossValidate } from '../../engine/eval/cv.ts';
import { headlineMetrics } from '../../engine/eval/evaluate.ts';
import { writeFileAtomic } from '../../engine/project/files.ts';
import { json } from '../../engine/runs/run-dir.ts';
import { TrainingConfigError } from '../../engine/train/config.ts';
import { describeFailure, trainProject } from '../../engine/train/train-project.ts';
import { CliError, type CommandContext } from '../context.ts';
import { EXIT_INTERRUPTED, exitCodeFor } from '../exit-codes.ts';
import { loadProjectOrExit } from '../load-project.ts';
import { BACKEND_HELP, backendChoice, positiveInt, wholeNumber } from '../options.ts';
import { formatMetrics } from './evaluate.ts';

interface TrainOptions {
  out?: string;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  backend: BackendChoice;
  folds?: number;
  json?: boolean;
}

const fmt = (v: number | undefined) =>
  v === undefined ? '—' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4);
const metricsText = (m: Record<string, number> | undefined, prefix = '') =>
  Object.entries(m ?? {})
    .map(([k, v]) => `${prefix}${k} ${fmt(v)}`)
    .join('  ');
const duration = (s: number) =>
  s < 60
    ? `${Math.round(s)}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
      : `${(s / 3600).toFixed(1)}h`;

/** A progress bar on a terminal, one line per epoch otherwise. */
function progressReporter(
  ctx: CommandContext,
  quiet: boolean,
): { onEvent: (e: EngineEvent) => void; stop: () => void } {
  const tty = !quiet && process.stderr.isTTY === true;
  let bar: cliProgress.SingleBar | null = null;
  const payload = (p: TrainProgress) => ({
    epochText: `${p.epoch}/${p.epochs}`,
    loss: fmt(p.loss),
    extra: [metricsText(p.metrics), p.valLoss !== undefined ? `val_loss ${fmt(p.valLoss)}` : '']
      .filter(Boolean)
      .join('  '),
    rate: Math.round(p.samplesPerSec),
    etaText: p.etaSec === undefined ? '…' : duration(p.etaSec),
  });
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    stop,
    onEvent(e) {
      if (quiet) return;
      if (e.kind === 'train-started') {
        ctx.err(`Training on ${e.backend.label} (${e.backend.reason}).`);
        for (const w of e.warnings ?? []) ctx.err(`warning: ${w}`);
      }
      if (e.kind === 'train-warnings') for (const w of e.warnings) ctx.err(`warning: ${w}`);
      if (e.kind !== 'train-progress') return;
      const p = e.progress;
      const batches = p.batches ?? 1;
      const done = (p.epoch - 1) * batches + (p.phase === 'epoch' ? batches : (p.batch ?? 0));
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format:
                'epoch {epochText} [{bar}] {percentage}% | loss {loss} {extra} | {rate} samples/s | ETA {etaText}',
              hideCursor: true,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.epochs * batches, done, payload(p));
        } else bar.update(done, payload(p));
        return;
      }
      if (p.phase === 'epoch') {
        const parts = [`epoch ${p.epoch}/${p.epochs}`, `loss ${fmt(p.loss)}`, metricsText(p.metrics)];
        if (p.valLoss !== undefined)
          parts.push(`val_loss ${fmt(p.valLoss)}`, metricsText(p.valMetrics, 'val_'));
        parts.push(
          `${Math.round(p.samplesPerSec)} samples/s`,
          `ETA ${p.etaSec === undefined ? '…' : duration(p.etaSec)}`,
        );
        ctx.out(parts.filter(Boolean).join('  '));
      }
    },
  };
}

/** Ctrl-C once stops after the current batch (best weights kept); twice quits at once. */
function interruptToCancel(ctx: CommandContext): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    ctx.err('\nStopping after this batch (Ctrl-C again to quit now)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) };
}

export function registerTrain(program: Command, ctx: CommandContext): void {
  program
    .command('train <project>')
    .description(
      'train a project and write a run folder (model, metrics, history, the project, preprocessing)',
    )
    .option('--out <dir>', 'run folder (default: <project folder>/runs/<timestamp>)')
    .option('--epochs <n>', 'override training.epochs', positiveInt('--epochs'))
    .option('--batch-size <n>', 'override training.batchSize', positiveInt('--batch-size'))
    .option('--seed <n>', 'override training.seed', wholeNumber('--seed'))
    .option('--backend <name>', BACKEND_HELP, backendChoice, 'auto')
    .option(
      '--folds <k>',
      'k-fold cross-validation instead of one run: mean ± std of each test metric',
      positiveInt('--folds', 2),
    )
    .option('--json', 'print the outcome as JSON (no progress output)')
    .action(async (file: string, opts: TrainOptions) => {
      const project = await loadProjectOrExit(file, ctx);
      if (opts.folds !== undefined) return crossValidation(file, project, opts, ctx);
      const reporter = progressReporter(ctx, opts.json === true);
      const { signal, release } = interruptToCancel(ctx);
      let outcome;
      try {
        outcome = await trainProject(
          {
            project,
            projectPath: file,
            outDir: opts.out,
            epochs: opts.epochs,
            batchSize: opts.batchSize,
            seed: opts.seed,
            backend: opts.backend,
          },
          { signal, onEvent: reporter.onEvent },
        );
      } finally {
        reporter.stop();
        release();
      }
      if (opts.json) {
        ctx.out(
          JSON.stringify(
            {
              status: outcome.status,
              runDir: outcome.runDir,
              message: outcome.message,
              backend: outcome.backend,
              epochsRun: outcome.history.length,
              bestEpoch: outcome.info.bestEpoch,
              metrics: outcome.metrics,
              warnings: outcome.info.warnings ?? [],
            },
            null,
            2,
          ),
        );
      }
      if (outcome.status === 'failed') {
        throw new CliError(outcome.message ?? 'Training failed.', exitCodeFor(outcome.failure));
      }
      // Only Ctrl-C cancels a CLI run: not invalid input (1), so not its exit code.
      if (outcome.status === 'cancelled') ctx.exitCode = EXIT_INTERRUPTED;
      if (opts.json) return;
      const info = outcome.info;
      if (outcome.status === 'cancelled') {
        ctx.out(
          `Cancelled after ${info.epochsRun} epoch${info.epochsRun === 1 ? '' : 's'}${info.bestEpoch ? `; kept the best weights (epoch ${info.bestEpoch}, by ${info.monitor})` : ''}.`,
        );
      } else if (info.stoppedEarly) {
        ctx.out(
          `Stopped early after ${info.epochsRun} epochs: ${info.monitor} had not improved since epoch ${info.bestEpoch}${info.restoredBestWeights ? ' (its weights were restored)' : ''}.`,
        );
      }
      if (outcome.metrics) for (const line of formatMetrics(outcome.metrics)) ctx.out(line);
      ctx.out(
        `Run saved in ${path.relative(process.cwd(), outcome.runDir) || '.'} (${info.timings?.totalSec ?? '?'}s on ${outcome.backend?.label ?? 'unknown backend'}).`,
      );
    });
}

async function crossValidation(
  file: string,
  project: Parameters<typeof crossValidate>[0],
  opts: TrainOptions,
  ctx: CommandContext,
): Promise<void> {
  const { signal, release } = interruptToCancel(ctx);
  let report;
  try {
    report = await crossValidate(project, opts.folds!, {
      projectPath: file,
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      seed: opts.seed,
      backend: opts.backend,
      signal,
      onFold: (f) => {
        if (opts.json) return;
        const head = f.metrics
          ? Object.entries(headlineMetrics(f.metrics))
              .map(([k, v]) => `${k} ${fmt(v)}`)
              .join('  ')
          : (f.message ?? f.status);
        ctx.out(`fold ${f.fold}/${opts.folds}: ${head}`);
      },
    });
  } catch (err) {
    const { message, failure } = describeFailure(err);
    if (err instanceof TrainingConfigError || failure !== 'internal')
      throw new CliError(message, exitCodeFor(failure));
    throw err;
  } finally {
    release();
  }
  if (opts.out) await writeFileAtomic(path.join(opts.out, 'cv.json'), json(report));
  if (signal.aborted) ctx.exitCode = EXIT_INTERRUPTED;
  else if (report.folds.some((f) => f.status !== 'complete')) ctx.exitCode = 1;
  if (opts.json) {
    ctx.out(JSON.stringify(report, null, 2));
    return;
  }
  ctx.out(`${report.k}-fold cross-validation on ${report.backend}:`);
  for (const [k, { mean, std }] of Object.entries(report.summary))
    ctx.out(`  ${k.padEnd(10)} ${fmt(mean)} ± ${fmt(std)}`);
}
