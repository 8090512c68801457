// The optional `training` keys the trainer reads beyond the core schema (documented in
// docs/TRAINING.md). The project schema keeps unknown keys (passthrough), so these are validated
// here, with a JSON path in every message.
import { z } from 'zod';
import type { Project } from '../project/schema.ts';
import type { OptimizerConfig } from './optimizers.ts';

const monitorSchema = z
  .string()
  .regex(/^(val_)?(loss|accuracy|mae)$/, 'must be loss, accuracy, mae or one of them with "val_" in front');

export const earlyStoppingSchema = z.object({
  monitor: monitorSchema.optional(),
  patience: z.number().int().min(0).max(100000).default(5),
  minDelta: z.number().min(0).default(0),
  restoreBestWeights: z.boolean().default(true),
});

export const lrScheduleSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('step'),
    /** Multiply the learning rate by `factor` every `every` epochs. */
    every: z.number().int().min(1).default(10),
    factor: z.number().positive().max(1).default(0.5),
  }),
  z.object({
    type: z.literal('plateau'),
    monitor: monitorSchema.optional(),
    factor: z.number().positive().max(1).default(0.5),
    patience: z.number().int().min(0).default(3),
    minDelta: z.number().min(0).default(0),
    minLearningRate: z.number().min(0).default(1e-6),
  }),
]);

export type EarlyStoppingConfig = z.output<typeof earlyStoppingSchema>;
export type LrScheduleConfig = z.output<typeof lrScheduleSchema>;

export interface TrainingSettings {
  optimizer: OptimizerConfig;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  testSplit: number;
  seed: number;
  earlyStopping: EarlyStoppingConfig | null;
  lrSchedule: LrScheduleConfig | null;
  /** training.dataParallel: false keeps one thread, true always splits batches, unset decides
   *  (engine/train/parallel/plan.ts). */
  dataParallel?: boolean;
}

export interface SettingsOverrides {
  epochs?: number;
  batchSize?: number;
  seed?: number;
}

export class TrainingConfigError extends Error {}

function parseOptional<T>(schema: z.ZodType<T>, value: unknown, where: string): T | null {
  if (value === undefined || value === null || value === false) return null;
  const r = schema.safeParse(value === true ? {} : value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = [where, ...issue.path.map(String)].join('.');
  throw new TrainingConfigError(`${path}: ${issue.message}.`);
}

/** The effective settings for a run: project values, CLI/request overrides, then defaults. */
export function resolveTrainingSettings(
  project: Project,
  overrides: SettingsOverrides = {},
): TrainingSettings {
  const t = (project.training ?? {}) as Record<string, unknown> & NonNullable<Project['training']>;
  return {
    optimizer: {
      type: t.optimizer?.type ?? 'adam',
      learningRate: t.optimizer?.learningRate,
      momentum: (t.optimizer as { momentum?: number } | undefined)?.momentum,
    },
    epochs: overrides.epochs ?? t.epochs ?? 20,
    batchSize: overrides.batchSize ?? t.batchSize ?? 32,
    validationSplit: t.validationSplit ?? 0,
    testSplit: project.data?.testSplit ?? 0.2,
    seed: overrides.seed ?? t.seed ?? 42,
    earlyStopping: parseOptional(earlyStoppingSchema, t.earlyStopping, 'training.earlyStopping'),
    lrSchedule: parseOptional(lrScheduleSchema, t.lrSchedule, 'training.lrSchedule'),
    dataParallel: typeof t.dataParallel === 'boolean' ? t.dataParallel : undefined,
  };
}

/** The project as trained: overrides written back, so the run folder says exactly what ran. */
export function projectAsTrained(project: Project, s: TrainingSettings): Project {
  return {
    ...project,
    training: { ...(project.training ?? {}), epochs: s.epochs, batchSize: s.batchSize, seed: s.seed },
  };
}
