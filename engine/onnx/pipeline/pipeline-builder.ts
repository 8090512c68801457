// Node and constant helpers for the deployment stages around the network: a thin layer over
// GraphBuilder that adds string and int64 label constants and names every tensor under one scope.
import { GraphBuilder } from '../graph-builder.ts';
import type { Attrs } from '../emitter-types.ts';
import { onnx, FLOAT, type OnnxTypes } from '../proto.ts';

export const STRING = onnx.TensorProto.DataType.STRING;
const utf8 = (s: string) => new TextEncoder().encode(s);

export class PipelineBuilder {
  /** Declared types of tensors whose op has no type inference in older checkers (ai.onnx.ml ops). */
  readonly valueInfo: OnnxTypes.IValueInfoProto[] = [];

  constructor(readonly b: GraphBuilder) {}

  /** Declare `name` a float tensor of `dims` (null: symbolic batch). */
  declareFloat(name: string, dims: (number | null)[]): void {
    const dim = dims.map((d) => (d === null ? { dimParam: 'N' } : { dimValue: d }));
    this.valueInfo.push({ name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } });
  }

  op(
    scope: string,
    opType: string,
    inputs: string[],
    attrs: Attrs = {},
    doc?: string,
    domain?: string,
  ): string {
    const [out] = this.b.node(scope, opType, inputs, attrs, 1, doc);
    if (domain) this.b.nodes[this.b.nodes.length - 1].domain = domain;
    return out;
  }

  /** An op whose output is a graph output (an exact, reserved name). */
  opInto(
    scope: string,
    opType: string,
    inputs: string[],
    output: string,
    attrs: Attrs = {},
    doc?: string,
  ): void {
    this.b.node(scope, opType, inputs, attrs, 1, doc, [output]);
  }

  floats(scope: string, label: string, values: number[], dims = [values.length]): string {
    return this.b.floatConst(scope, label, Float32Array.from(values), dims);
  }

  ints(scope: string, label: string, values: number[], dims = [values.length]): string {
    return this.b.intConst(scope, label, values, dims);
  }

  strings(scope: string, label: string, values: string[]): string {
    const name = this.b.fresh(`${scope}/${label}`);
    this.b.initializers.push({ name, dims: [values.length], dataType: STRING, stringData: values.map(utf8) });
    return name;
  }
}
