// netwright export <run-dir|project> [--onnx <file>] [--tfjs <dir>] [--pytorch <dir>] [--opset N]
// [--seed N] [--bare] (docs/ARCHITECTURE.md, CLI; the deployment model: docs/EXPORT.md; the PyTorch
// package: docs/SCALE-OUT.md). Prints the parity figures; exits 1 when a pre-flight check or the
// parity check fails.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EngineError } from '../../engine/api.ts';
import type { Project } from '../../engine/project/schema.ts';
import { selectBackend, type BackendChoice } from '../../engine/backend.ts';
import { exportModel } from '../../engine/export/export-model.ts';
import { PARITY_TOLERANCE } from '../../engine/export/parity.ts';
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from '../../engine/onnx/opsets.ts';
import { exportTorchPackage } from '../../engine/pytorch/package.ts';
import { loadProjectOrExit } from '../load-project.ts';
import { CliError, type CommandContext } from '../context.ts';
import { cliErrorFrom } from '../exit-codes.ts';
import { CPU_BACKEND_HELP, cpuBackendChoice, wholeNumber } from '../options.ts';

interface ExportOptions {
  onnx?: string;
  tfjs?: string;
  pytorch?: string;
  opset: number;
  seed?: number;
  backend: BackendChoice;
  bare?: boolean;
}

const sci = (v: number) => (v === 0 ? '0' : v.toExponential(2));
const size = (bytes: number) =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;

/** Without --onnx or --tfjs: model.onnx in the run folder, or <project name>.onnx beside the project. */
function defaultOnnxPath(target: string, isRun: boolean): string {
  if (isRun) return path.join(target, 'model.onnx');
  return path.join(
    path.dirname(target),
    `${path.basename(target).replace(/(\.netwright)?\.json$/i, '')}.onnx`,
  );
}

export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command('export <target>')
    .description(
      'export a trained run folder (or a never-trained project, weights from the seed) to ONNX and/or the tfjs layers format, checking the ONNX file against tfjs',
    )
    .option(
      '--onnx <file>',
      'write an ONNX file (default when neither --onnx nor --tfjs is given: model.onnx in the run folder, or <project>.onnx)',
    )
    .option(
      '--tfjs <dir>',
      'write the tfjs layers format (model.json + weights.bin) as this folder (a previous export in it is kept as <dir>.bak)',
    )
    .option(
      '--pytorch <dir>',
      'write a PyTorch DistributedDataParallel training package (model.py, weights, data, train.py, launchers) into this folder',
    )
    .option('--opset <n>', `ONNX opset, ${MIN_OPSET}–${MAX_OPSET}`, wholeNumber('--opset'), DEFAULT_OPSET)
    .option(
      '--seed <n>',
      'seed for the initial weights of a never-trained project and for the parity-check inputs',
      wholeNumber('--seed'),
    )
    .option(
      '--bare',
      'ONNX of a trained run: the network alone (inputs already scaled, raw outputs) instead of the deployment model with its preprocessing',
    )
    .option(
      '--backend <name>',
      `tfjs backend that runs the reference model: ${CPU_BACKEND_HELP}`,
      cpuBackendChoice('export'),
      'auto',
    )
    .action(async (target: string, opts: ExportOptions) => {
      const stat = await fs.stat(target).catch(() => null);
      if (!stat)
        throw new CliError(`${target} does not exist; give a run folder or a .netwright.json project.`, 2);
      const isRun = stat.isDirectory();
      const { opset, seed } = opts;
      const onnxPath = opts.onnx ?? (opts.tfjs || opts.pytorch ? undefined : defaultOnnxPath(target, isRun));
      const project = isRun ? undefined : await loadProjectOrExit(target, ctx);

      const { tf } = await selectBackend(opts.backend);
      if (opts.pytorch) {
        await writeTorchPackage(ctx, tf, { target, isRun, project, dir: opts.pytorch, seed });
        if (!onnxPath && !opts.tfjs) return;
      }
      let outcome;
      try {
        outcome = await exportModel(tf, {
          runDir: isRun ? target : undefined,
          project,
          projectPath: isRun ? undefined : target,
          onnxPath,
          tfjsDir: opts.tfjs,
          opset,
          seed,
          bare: opts.bare,
        });
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        for (const p of err.data.problems ?? []) ctx.err(`  ${p.path ? `${p.path}: ` : ''}${p.message}`);
        cliErrorFrom(err);
      }

      ctx.out(
        outcome.weights === 'trained'
          ? `Weights: trained (${target})`
          : outcome.weights === 'imported'
            ? `Weights: the project's start weights (${[project?.weights?.file, ...(project?.startFrom ?? []).map((s) => s.source)].filter(Boolean).join(', ')}), seed ${outcome.seed} for any layer they do not cover`
            : `Weights: initialised from seed ${outcome.seed} (the project was never trained)`,
      );
      const parity = outcome.parity;
      if (parity) {
        const seeded = parity.samples - parity.realSamples;
        const on = parity.realSamples
          ? `${seeded} seeded samples and ${parity.realSamples} test samples of ${outcome.realSamplesSource}`
          : `${seeded} seeded samples`;
        ctx.out(
          `ONNX parity, onnxruntime-node vs tfjs on ${on}: max abs diff ${sci(parity.maxAbsDiff)}, ` +
            `max rel diff ${sci(parity.maxRelDiff)} (tolerance ${PARITY_TOLERANCE}) — ${parity.passed ? 'passed' : 'FAILED'}`,
        );
        if (outcome.realSamplesNote) ctx.out(`(No real samples: ${outcome.realSamplesNote}.)`);
        if (parity.problem) ctx.out(parity.problem);
        const dep = outcome.deployment;
        if (dep) {
          const p = dep.parity;
          ctx.out(
            `Deployment model (preprocessing inside), onnxruntime-node vs netwright predict on ${p.samples} raw samples: ` +
              `${p.labelMismatches ? `${p.labelMismatches} labels differ, ` : ''}max abs diff ${sci(p.maxAbsDiff)}, max rel diff ${sci(p.maxRelDiff)} — ${p.passed ? 'passed' : 'FAILED'}`,
          );
          if (p.problem) ctx.out(p.problem);
          ctx.out(`Inputs: ${dep.inputsDescription}`);
          ctx.out(
            `Outputs: ${dep.outputs.map((o) => `${o.name} [N${o.shape.map((d) => `, ${d}`).join('')}] ${o.type}`).join(', ')}`,
          );
        } else if (outcome.networkOnlyReason)
          ctx.out(
            `Network only (inputs must be scaled as preprocessing.json says): ${outcome.networkOnlyReason}.`,
          );
        if (outcome.onnxPath)
          ctx.out(`Wrote ${outcome.onnxPath} (${size(outcome.onnxBytes ?? 0)}, opset ${outcome.opset})`);
      }
      if (outcome.tfjsDir) ctx.out(`Wrote the tfjs layers model to ${outcome.tfjsDir}`);
      if (parity?.passed && outcome.deployment && !outcome.deployment.parity.passed) {
        throw new CliError(
          `The deployment model does not give the same predictions as \`netwright predict\` on the same raw samples, so ${onnxPath} was not written; export the network alone with --bare, and please report this with the project file.`,
          1,
        );
      }
      if (parity && !parity.passed) {
        throw new CliError(
          `The ONNX model does not compute the same function as the tfjs model (max abs diff ${sci(parity.maxAbsDiff)} on output "${parity.worstOutput}"), so ${onnxPath} was not written; please report this with the project file.`,
          1,
        );
      }
    });
}

async function writeTorchPackage(
  ctx: CommandContext,
  tf: Awaited<ReturnType<typeof selectBackend>>['tf'],
  o: { target: string; isRun: boolean; project?: Project; dir: string; seed?: number },
): Promise<void> {
  try {
    const outcome = await exportTorchPackage(tf, {
      runDir: o.isRun ? o.target : undefined,
      project: o.project,
      projectPath: o.isRun ? undefined : o.target,
      outDir: o.dir,
      seed: o.seed,
    });
    ctx.out(
      outcome.weights === 'trained'
        ? `Weights: trained (${o.target})`
        : outcome.weights === 'imported'
          ? `Weights: the project's weights file (seed ${outcome.seed} for layers it does not cover)`
          : `Weights: initialised from seed ${outcome.seed} (the project was never trained)`,
    );
    const s = outcome.samples;
    ctx.out(
      `Wrote the PyTorch package to ${o.dir}: model.py (${outcome.className}, ${outcome.parameters} weights), ` +
        `data (${s.train} train, ${s.validation} validation, ${s.test} test samples), train.py and launchers.`,
    );
    ctx.out(`Run it: cd ${o.dir} && python3 train.py --nproc-per-node 2  (or torchrun; see its README.md)`);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    const problems = err.data.problems ?? [];
    if (problems.length > 1) for (const p of problems) ctx.err(`  ${p.message}`);
    cliErrorFrom(err);
  }
}
