// The ONNX import registry: op type → handler. Adding an op is one handler in a family module and its
// op names in that module's list.
import type { OpHandler } from '../handler-types.ts';
import { activationHandlers } from './activations.ts';
import { denseHandlers } from './dense.ts';
import { edgeHandlers } from './edges.ts';
import { layoutHandlers } from './layout.ts';
import { mergeHandlers } from './merge.ts';
import { normalizationHandlers } from './normalization.ts';
import { recurrentHandlers } from './recurrent.ts';
import { spatialHandlers } from './spatial.ts';
import { upsamplingHandlers } from './upsampling.ts';
import { valueHandlers } from './values-ops.ts';

const HANDLERS = new Map<string, OpHandler>([
  ...denseHandlers,
  ...spatialHandlers,
  ...upsamplingHandlers,
  ...edgeHandlers,
  ...normalizationHandlers,
  ...activationHandlers,
  ...layoutHandlers,
  ...mergeHandlers,
  ...recurrentHandlers,
  ...valueHandlers,
]);

export const onnxHandler = (opType: string): OpHandler | undefined => HANDLERS.get(opType);
export const importableOps = (): string[] => [...HANDLERS.keys()].sort();
