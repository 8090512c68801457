// Accumulates ONNX nodes and initializers with unique names, and converts tensors between layouts
// (one cached Transpose per tensor and layout). Emitters see it through EmitContext.
import { onnx, FLOAT, INT64, type OnnxTypes } from './proto.ts';
import type { Attrs, AttrValue, OnnxValue } from './emitter-types.ts';
import { samePerm, transposeBetween } from './layout.ts';

const AttrType = onnx.AttributeProto.AttributeType;
const utf8 = (s: string) => new TextEncoder().encode(s);

function attribute(name: string, value: AttrValue): OnnxTypes.IAttributeProto {
  if (typeof value === 'number') {
    if (!Number.isInteger(value))
      throw new Error(`Attribute ${name} must be an integer (wrap floats with float()).`);
    return { name, type: AttrType.INT, i: value };
  }
  if (typeof value === 'string') return { name, type: AttrType.STRING, s: utf8(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number'))
      return { name, type: AttrType.INTS, ints: value as number[] };
    return { name, type: AttrType.STRINGS, strings: (value as string[]).map(utf8) };
  }
  if ('float' in value) return { name, type: AttrType.FLOAT, f: value.float };
  return { name, type: AttrType.FLOATS, floats: value.floats };
}

const LAYOUT_DOC =
  'Layout change between the tfjs layout (NHWC, batch-major) and the one the next ONNX op needs';

const bytesOf = (a: Float32Array | BigInt64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export class GraphBuilder {
  readonly nodes: OnnxTypes.INodeProto[] = [];
  readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly transposed = new Map<string, string>();

  /** Reserve exact names (graph inputs and outputs) before anything else is named. */
  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`Duplicate ONNX tensor name "${name}".`);
    this.used.add(name);
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  node(
    scope: string,
    opType: string,
    inputs: string[],
    attrs: Attrs = {},
    outputs = 1,
    doc?: string,
    outputNames?: string[],
  ): string[] {
    const outs =
      outputNames ??
      Array.from({ length: outputs }, (_, i) =>
        this.fresh(`${scope}/${opType}${outputs > 1 ? `:${i}` : ''}`),
      );
    const attribute_ = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => attribute(k, v));
    this.nodes.push({
      name: this.fresh(`${scope}/${opType}#node`),
      opType,
      input: inputs,
      output: outs,
      attribute: attribute_,
      docString: doc,
    });
    return outs;
  }

  floatConst(scope: string, label: string, data: Float32Array | number[], dims: number[]): string {
    const name = this.fresh(`${scope}/${label}`);
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    this.initializers.push({ name, dims, dataType: FLOAT, rawData: bytesOf(values) });
    return name;
  }

  intConst(scope: string, label: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.fresh(`${scope}/${label}`);
    this.initializers.push({
      name,
      dims,
      dataType: INT64,
      rawData: bytesOf(BigInt64Array.from(values.map(BigInt))),
    });
    return name;
  }

  /** `value` stored as `perm`: itself, or a (cached) Transpose of it. */
  inLayout(value: OnnxValue, perm: number[]): string {
    if (samePerm(value.perm, perm)) return value.name;
    const key = `${value.name}|${perm.join(',')}`;
    const cached = this.transposed.get(key);
    if (cached) return cached;
    const attrs = { perm: transposeBetween(value.perm, perm) };
    const [out] = this.node(value.name, 'Transpose', [value.name], attrs, 1, LAYOUT_DOC);
    this.transposed.set(key, out);
    return out;
  }
}
