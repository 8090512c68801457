import type { Command } from 'commander';
import type { BackendChoice } from '../../engine/backend.ts';
import { explainRun } from '../../engine/explain/explain-run.ts';
import { EXPLAIN_METHODS, type ExplainMethod, type ExplainResult } from '../../engine/explain/types.ts';
import { CliError, type CommandContext } from '../context.ts';
import { cliErrorFrom } from '../exit-codes.ts';
import { CPU_BACKEND_HELP, cpuBackendChoice, positiveInt } from '../options.ts';

function methodChoice(value: string): ExplainMethod {
  if (!(EXPLAIN_METHODS as readonly string[]).includes(value))
    throw new CliError(`--method must be one of ${EXPLAIN_METHODS.join(', ')}; it is "${value}".`, 2);
  return value as ExplainMethod;
}

function exampleList(value: string, previous: number[] = []): number[] {
  if (!/^\d+$/.test(value))
    throw new CliError(`--example must be a test sample number (0, 1, …); it is "${value}".`, 2);
  return [...previous, Number(value)];
}

const signed = (v: number) => (v >= 0 ? '+' : '') + Number(v.toPrecision(4));

/** The result as text: a ranked table, per-row attributions, or one line per image. */
export function formatExplanation(result: ExplainResult): string[] {
  const lines: string[] = [];
  if (result.method === 'permutation') {
    lines.push(
      `Permutation importance: drop in test ${result.metric} (${Number(result.baseline.toPrecision(4))} unshuffled) when a column is shuffled, mean ± std over ${result.repeats} shuffles of ${result.samples} samples`,
    );
    const w = Math.max(6, ...result.features.map((f) => f.name.length));
    for (const f of result.features)
      lines.push(
        `  ${f.name.padEnd(w)}  ${signed(f.importance).padStart(10)} ± ${Number((f.std ?? 0).toPrecision(2))}`,
      );
  } else if (result.method === 'integratedGradients') {
    for (const p of result.predictions) {
      lines.push(
        `${p.row}: ${p.target.name} ${Number(p.prediction.toPrecision(4))} (baseline ${Number(p.baselinePrediction.toPrecision(4))}; completeness error ${p.completenessError.toExponential(1)})${p.actual !== undefined ? `, actual ${p.actual}` : ''}`,
      );
      const ranked = Object.entries(p.attributions).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
      lines.push(`  ${ranked.map(([k, v]) => `${k} ${signed(v)}`).join(', ')}`);
      if (p.steps) lines.push(`  per step (oldest first): ${p.steps.map(signed).join(' ')}`);
    }
  } else {
    if (result.layer)
      lines.push(
        `${result.method === 'layerCam' ? 'Layer-CAM' : 'Grad-CAM'} on layer ${result.layer} (of ${result.layers?.join(', ')})${result.mirrors ? ', averaged over the mirror images' : ''}`,
      );
    for (const e of result.examples)
      lines.push(
        `${e.row}: explains ${e.target.name}; predicted ${e.predicted} (probability ${e.probability.toFixed(3)})${e.actual !== undefined ? `, actual ${e.actual}` : ''}${e.file ? ` → ${e.file}` : ''}`,
      );
  }
  lines.push(`Caveat: ${result.caveat}`);
  return lines;
}

export function registerExplain(program: Command, ctx: CommandContext): void {
  program
    .command('explain <run-dir> [file]')
    .description(
      'explain what a trained run learned: permutation importance or integrated gradients for tables and series, Grad-CAM, Layer-CAM, saliency or SmoothGrad for images; with a CSV or image, per prediction',
    )
    .option('--method <name>', EXPLAIN_METHODS.join(' | '), methodChoice)
    .option('--class <name>', 'the class to explain (name or index; default: the predicted class)')
    .option('--layer <id>', 'Grad-CAM, Layer-CAM: the conv layer (node id; default: the last Conv2D)')
    .option('--mirrors', 'image methods: average each heat map over the image and its mirror images')
    .option('--example <n>', 'without a file: a test-split sample to explain (repeatable)', exampleList)
    .option('--repeats <n>', 'permutation: shuffles per column', positiveInt('--repeats'), 5)
    .option('--out <dir>', 'image methods: write heat-map overlay PNGs here')
    .option('--json', 'print machine-readable JSON')
    .option('--backend <name>', CPU_BACKEND_HELP, cpuBackendChoice('explain'), 'auto')
    .action(
      async (
        dir: string,
        file: string | undefined,
        opts: {
          method?: ExplainMethod;
          class?: string;
          layer?: string;
          mirrors?: boolean;
          example?: number[];
          repeats: number;
          out?: string;
          json?: boolean;
          backend: BackendChoice;
        },
      ) => {
        const { result, warnings } = await explainRun({
          runDir: dir,
          file,
          method: opts.method,
          className: opts.class,
          layer: opts.layer,
          mirrors: opts.mirrors,
          examples: opts.example,
          repeats: opts.repeats,
          outDir: opts.out,
          backend: opts.backend,
        }).catch(cliErrorFrom);
        for (const w of warnings) ctx.err(`warning: ${w}`);
        if (opts.json) {
          ctx.out(JSON.stringify(result, null, 2));
          return;
        }
        for (const line of formatExplanation(result)) ctx.out(line);
      },
    );
}
