// Project file format (docs/ARCHITECTURE.md, "Project file format"): the zod schema is the single source of both the TypeScript
// types and the runtime validation. Unknown keys are kept (passthrough) so a round-trip never drops
// what a newer tool or the user added.
import { z } from 'zod';
import { sourceTextProblem } from '../data/source.ts';

export const CURRENT_VERSION = 4;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const paramValueSchema: z.ZodType<unknown> = z.union([
  finite,
  z.boolean(),
  z.string(),
  z.null(),
  z.array(finite),
  z.object({ l1: finite.optional(), l2: finite.optional() }).passthrough(),
]);

export const nodeSchema = z
  .object({
    id: z.string().min(1, 'node id must not be empty').max(200),
    type: z.string().min(1, 'node type must not be empty').max(100),
    params: z.record(z.string(), paramValueSchema).default({}),
    position: z.object({ x: finite, y: finite }).passthrough().optional(),
    /** false freezes the node's weights: training leaves them unchanged (docs/ARCHITECTURE.md, Weights). */
    trainable: z.boolean().optional(),
    /** The name the layer had in an imported model, shown beside the id. */
    label: z.string().max(500).optional(),
  })
  .passthrough();

export const edgeSchema = z
  .object({
    id: z.string().min(1).max(200),
    source: z.string().min(1),
    target: z.string().min(1),
    /**
     * The input port the edge feeds: a named port (`query`), a merge's ordered `in0, in1, …`, or left
     * out for a layer with one input (docs/ARCHITECTURE.md, "Named ports").
     */
    port: z.string().min(1).max(100).optional(),
    /** Format 1's port number; the v1 → v2 migration turns a valid one into `port`. */
    targetPort: z
      .unknown()
      .refine((v) => v === undefined, {
        message:
          'targetPort must be a whole number from 0 to 1000 in a format-1 file; format 2 names the port instead (e.g. "port": "in0").',
      })
      .optional(),
  })
  .passthrough();

/** What the user may set a table column to be (data.columnKinds). */
export const COLUMN_KINDS = ['numeric', 'categorical', 'ignore'] as const;
export type ColumnKindChoice = (typeof COLUMN_KINDS)[number];

export const dataSchema = z
  .object({
    source: z
      .string()
      .min(1, 'data.source must name a dataset, e.g. "builtin:iris"')
      .superRefine((source, ctx) => {
        const problem = source ? sourceTextProblem(source) : null;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    target: z.string().optional(),
    testSplit: z.number().min(0).max(0.9).optional(),
    /** Tables: a column's kind as the user set it, over the one detected (docs/DATA.md). */
    columnKinds: z.record(z.string(), z.enum(COLUMN_KINDS)).optional(),
  })
  .passthrough();

export const optimizerSchema = z
  .object({
    type: z.enum(['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad']),
    learningRate: z.number().positive().max(10).optional(),
  })
  .passthrough();

export const trainingSchema = z
  .object({
    optimizer: optimizerSchema.optional(),
    epochs: z.number().int().min(1).max(100000).optional(),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(1 << 20)
      .optional(),
    validationSplit: z.number().min(0).max(0.9).optional(),
    seed: z.number().int().optional(),
  })
  .passthrough();

/** A weights file name beside the project: no folders, so it can never point outside it. */
const weightsFileName = z
  .string()
  .min(1)
  .max(255)
  .refine(
    (name) => !/[/\\]/.test(name) && ![...name].some((c) => c < ' ') && name !== '.' && name !== '..',
    'weights.file must be a file name beside the project (no folders)',
  );

/**
 * Weights that initialise the graph's layers (optional; docs/ARCHITECTURE.md, Weights): float32
 * little-endian tensors stored one after the other in `file`, in the order of `tensors`, each named
 * `<node id>/<weight>` as tfjs names them (`d1/kernel`, `bn/moving_mean`).
 */
export const weightsRefSchema = z
  .object({
    file: weightsFileName,
    tensors: z
      .array(
        z.object({
          name: z.string().min(3).max(500),
          shape: z
            .array(
              z
                .number()
                .int()
                .min(0)
                .max(1 << 30),
            )
            .max(8),
        }),
      )
      .max(100000),
  })
  .passthrough();

/** A path inside the project's folder: relative, no `..`, no control characters. */
const insidePath = z
  .string()
  .min(1)
  .max(1000)
  .refine(
    (p) => !/^([/\\]|[A-Za-z]:)/.test(p) && !p.split(/[/\\]/).includes('..') && ![...p].some((c) => c < ' '),
    'must be a path inside the project folder (relative, without "..")',
  );

/**
 * Layers that start from another model's weights (docs/ARCHITECTURE.md, Weights): a run folder, a
 * project with a weights file, or a tfjs model.json, inside the project folder, or a shipped block
 * `pretrained:<id>`; `nodes` limits it to
 * those node ids (default: every node the source has weights for). Later entries win.
 */
export const startFromSchema = z
  .array(
    z
      .object({
        source: insidePath,
        nodes: z.array(z.string().min(1).max(200)).max(100000).optional(),
        /** Node id here → node id in the source, for nodes inserted under another id (a pretrained block). */
        from: z.record(z.string().min(1).max(200), z.string().min(1).max(200)).optional(),
      })
      .passthrough(),
  )
  .max(100);

/**
 * A block (format v3; nested since v4; docs/ARCHITECTURE.md, "Blocks"): named nodes of the graph
 * shown as one node when collapsed. `nodes` lists every node inside it, those of the blocks nested in
 * it included; one block nests in another when its nodes are a part of the other's. Only the editor reads it: the graph itself is unchanged, so inspection, training
 * and every exporter see through blocks.
 */
export const blockSchema = z
  .object({
    id: z.string().min(1, 'block id must not be empty').max(200),
    name: z.string().min(1, 'a block needs a name').max(200),
    nodes: z.array(z.string().min(1).max(200)).min(1, 'a block holds at least one node').max(100000),
    collapsed: z.boolean().optional(),
    position: z.object({ x: finite, y: finite }).passthrough().optional(),
  })
  .passthrough();

export const projectSchema = z
  .object({
    format: z.literal('netwright', { message: 'format must be "netwright"' }),
    version: z.number().int().min(1),
    name: z.string().max(500).default('Untitled'),
    graph: z
      .object({
        nodes: z.array(nodeSchema).max(100000, 'a graph may hold at most 100,000 nodes'),
        edges: z.array(edgeSchema).max(400000, 'a graph may hold at most 400,000 edges'),
      })
      .passthrough(),
    data: dataSchema.optional(),
    training: trainingSchema.optional(),
    weights: weightsRefSchema.optional(),
    startFrom: startFromSchema.optional(),
    blocks: z.array(blockSchema).max(10000).optional(),
  })
  .passthrough();

export type ProjectNode = z.infer<typeof nodeSchema>;
export type ProjectEdge = z.infer<typeof edgeSchema>;
export type ProjectData = z.infer<typeof dataSchema>;
export type TrainingConfig = z.infer<typeof trainingSchema>;
export type Project = z.infer<typeof projectSchema>;
export type Graph = Project['graph'];
export type ProjectBlock = z.infer<typeof blockSchema>;
export type WeightsRef = z.infer<typeof weightsRefSchema>;
