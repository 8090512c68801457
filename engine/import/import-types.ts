// What an importer produces and how it refuses a model: every op or layer it cannot carry over is one
// problem (what, where, why), all listed together, and nothing is written.
import type { Graph } from '../project/schema.ts';
import type { NamedWeights } from '../weights/named-weights.ts';

export interface ImportedModel {
  name: string;
  graph: Graph;
  weights: NamedWeights;
  /**
   * The source model's inputs and outputs: their Netwright node, their name in the source, and the
   * axis order the source stores them in (`perm[i]` is the Netwright axis at source axis i).
   */
  io: { inputs: ModelPort[]; outputs: ModelPort[] };
  /** The imported graph against the source model (verify-import.ts), once checked. */
  parity?: { samples: number; maxAbsDiff: number; passed: boolean };
}

export interface ModelPort {
  node: string;
  name: string;
  perm: number[];
}

export interface ImportProblem {
  /** The op (ONNX) or layer class (tfjs) that can't be imported. */
  op: string;
  /** Its node or layer name in the source model. */
  node: string;
  why: string;
}

export const problemSentence = (p: ImportProblem): string => `${p.op} node "${p.node}": ${p.why}.`;

export class ImportError extends Error {
  constructor(
    readonly problems: ImportProblem[],
    /** 'unreadable': the file is not a model at all; 'invalid': a model with parts Netwright can't import. */
    readonly kind: 'invalid' | 'unreadable' = 'invalid',
  ) {
    super(
      problems.length === 1
        ? problemSentence(problems[0])
        : `${problems.length} parts of the model can't be imported: ${problems.map(problemSentence).join(' ')}`,
    );
  }
}

/** A file that is not a model: one sentence, exit 2. */
export const unreadableModel = (why: string): ImportError =>
  new ImportError([{ op: 'file', node: '', why }], 'unreadable');
