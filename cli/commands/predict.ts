import type { Command } from 'commander';
import type { BackendChoice } from '../../engine/backend.ts';
import { predictWithRun } from '../../engine/eval/evaluate-run.ts';
import { predictRunStreamed } from '../../engine/eval/predict-stream.ts';
import type { Prediction } from '../../engine/eval/predictions.ts';
import type { CommandContext } from '../context.ts';
import { cliErrorFrom } from '../exit-codes.ts';
import { BACKEND_HELP, backendChoice } from '../options.ts';

export function registerPredict(program: Command, ctx: CommandContext): void {
  program
    .command('predict <run-dir> <file>')
    .description(
      'predict with a trained run: a CSV (one prediction per row) or an image; the saved preprocessing is applied',
    )
    .option('--json', 'print machine-readable JSON')
    .option('--backend <name>', BACKEND_HELP, backendChoice, 'auto')
    .action(async (dir: string, file: string, opts: { json?: boolean; backend: BackendChoice }) => {
      // A CSV above the streaming threshold: predictions are printed chunk by chunk as the file is
      // read, in the same format (the JSON written piece by piece).
      let pending: string | null = null;
      const streamed = await predictRunStreamed(dir, file, opts.backend, (predictions, warnings) => {
        for (const w of warnings) ctx.err(`warning: ${w}`);
        for (const p of predictions) {
          if (!opts.json) {
            ctx.out(predictionLine(p));
            continue;
          }
          ctx.out(pending === null ? '{\n  "predictions": [' : `${pending},`);
          pending = jsonItem(p);
        }
      }).catch(cliErrorFrom);
      if (streamed) {
        if (opts.json && pending !== null) ctx.out(`${pending}\n  ]\n}`);
        return;
      }
      const { predictions, warnings } = await predictWithRun(dir, file, opts.backend).catch(cliErrorFrom);
      for (const w of warnings) ctx.err(`warning: ${w}`);
      if (opts.json) {
        ctx.out(JSON.stringify({ predictions }, null, 2));
        return;
      }
      for (const p of predictions) ctx.out(predictionLine(p));
    });
}

function predictionLine(p: Prediction): string {
  if ('className' in p) return `${p.row}: ${p.className} (probability ${p.probability.toFixed(3)})`;
  return `${p.row}: ${Object.entries(p.values)
    .map(([k, v]) => `${k} = ${Number(v.toPrecision(6))}`)
    .join(', ')}`;
}

/** One prediction as JSON.stringify({predictions}, null, 2) lays out a list item. */
const jsonItem = (p: Prediction) =>
  JSON.stringify(p, null, 2)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
