// Layers that map one input to an output of the same shape (activations with their own settings,
// noise and dropout variants): only their params, help, examples, weights and builder differ.
import type {
  LayerCategory,
  LayerExample,
  LayerHelp,
  LayerSpec,
  ParamDef,
  Params,
  Shape,
  TfjsCall,
} from './types.ts';
import { withCustomTfjs } from './custom-tfjs.ts';

export interface SameShapeDef<P extends Params> {
  type: string;
  category: LayerCategory;
  help: LayerHelp;
  params: ParamDef[];
  examples: LayerExample[];
  summarize?: (p: P) => string;
  /** Weights, as tfjs counts them; none when left out. */
  countParams?: (inputs: Shape[], p: P) => number;
  checkParams?: (p: P) => string[];
  /** Extra requirements on the input (its rank, a known axis); throws ShapeError. */
  checkInput?: (x: Shape, p: P) => void;
  stochastic?: boolean;
  /** The tfjs layer, or for a kind tfjs lacks, `tfjsCall` (engine/layers/custom-tfjs.ts). */
  buildTfjs?: LayerSpec<P>['buildTfjs'];
  tfjsCall?: TfjsCall<P>;
}

export function sameShapeLayer<P extends Params>(def: SameShapeDef<P>): LayerSpec<P> {
  const { checkInput, countParams, buildTfjs, tfjsCall, ...rest } = def;
  const spec = {
    ...rest,
    label: def.type,
    arity: { min: 1, max: 1 },
    producesOutput: true,
    inferShape: ([x]: Shape[], p: P) => {
      checkInput?.(x, p);
      return [...x];
    },
    countParams: countParams ?? (() => 0),
  };
  if (tfjsCall) return withCustomTfjs(spec, tfjsCall);
  if (!buildTfjs) throw new Error(`${def.type}: give buildTfjs or tfjsCall.`);
  return { ...spec, buildTfjs };
}
