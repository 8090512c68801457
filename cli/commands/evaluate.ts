import type { Command } from 'commander';
import type { BackendChoice } from '../../engine/backend.ts';
import { evaluateRun } from '../../engine/eval/evaluate-run.ts';
import type { TestMetrics } from '../../engine/eval/evaluate.ts';
import type { CommandContext } from '../context.ts';
import { cliErrorFrom } from '../exit-codes.ts';
import { BACKEND_HELP, backendChoice } from '../options.ts';

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : String(v));
const f4 = (v: number) =>
  Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toPrecision(4) : v.toFixed(4);

/** Human-readable test metrics: headline, per-class table and confusion matrix, or the error table. */
export function formatMetrics(m: TestMetrics): string[] {
  if (m.task === 'classification') {
    const lines = [
      `Test accuracy ${f3(m.accuracy)} on ${m.samples} samples; macro precision ${f3(m.macro.precision)}, recall ${f3(m.macro.recall)}, F1 ${f3(m.macro.f1)}`,
    ];
    const w = Math.max(5, ...m.perClass.map((c) => c.className.length));
    lines.push('', `  ${'class'.padEnd(w)}  precision  recall     f1  support`);
    for (const c of m.perClass) {
      lines.push(
        `  ${c.className.padEnd(w)}  ${f3(c.precision).padStart(9)}  ${f3(c.recall).padStart(6)}  ${f3(c.f1).padStart(5)}  ${String(c.support).padStart(7)}`,
      );
    }
    const { labels, matrix } = m.confusionMatrix;
    const cw = Math.max(
      4,
      ...matrix.flat().map((v) => String(v).length),
      ...labels.map((l) => Math.min(l.length, 10)),
    );
    lines.push('', 'Confusion matrix (rows: true class, columns: predicted):');
    lines.push(`  ${''.padEnd(w)}  ${labels.map((l) => l.slice(0, 10).padStart(cw)).join(' ')}`);
    matrix.forEach((row, i) =>
      lines.push(`  ${labels[i].padEnd(w)}  ${row.map((v) => String(v).padStart(cw)).join(' ')}`),
    );
    return lines;
  }
  const lines = [
    `Test ${m.task} on ${m.samples} samples${m.targetNames ? ` (${m.targetNames.join(', ')})` : ''}, in target units:`,
  ];
  lines.push(
    `  ${'model'.padEnd(6)}  MAE ${f4(m.mae)}  RMSE ${f4(m.rmse)}  MSE ${f4(m.mse)}  R² ${f3(m.r2)}`,
  );
  if (m.naive) {
    lines.push(
      `  ${'naive'.padEnd(6)}  MAE ${f4(m.naive.mae)}  RMSE ${f4(m.naive.rmse)}  MSE ${f4(m.naive.mse)}  R² ${f3(m.naive.r2)}   (last value carried forward)`,
    );
  }
  return lines;
}

export function registerEvaluate(program: Command, ctx: CommandContext): void {
  program
    .command('evaluate <run-dir>')
    .description(
      'run a trained model on its test split: metrics, per-class precision/recall/F1, confusion matrix',
    )
    .option('--json', 'print machine-readable JSON')
    .option('--backend <name>', BACKEND_HELP, backendChoice, 'auto')
    .action(async (dir: string, opts: { json?: boolean; backend: BackendChoice }) => {
      const result = await evaluateRun(dir, opts.backend).catch(cliErrorFrom);
      if (opts.json) {
        ctx.out(
          JSON.stringify(
            { runDir: dir, recomputed: result.recomputed, note: result.note, metrics: result.metrics },
            null,
            2,
          ),
        );
        return;
      }
      ctx.out(
        `${result.run.info.projectName} — run ${result.run.info.status}, trained on ${result.run.info.backend?.label ?? 'unknown backend'}`,
      );
      if (result.note) ctx.err(result.note);
      for (const line of formatMetrics(result.metrics)) ctx.out(line);
    });
}
