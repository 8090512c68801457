// Reading an ONNX file: the ModelProto decoded by onnx-proto, initializers and Constant values as
// plain arrays, and a typed view of each node's attributes.
import { onnx, type OnnxTypes } from '../../onnx/proto.ts';
import { unreadableModel } from '../import-types.ts';

const DataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;

/** A constant tensor: floats as Float32Array, integers as plain numbers. */
export interface ConstTensor {
  dims: number[];
  data: Float32Array | number[];
  float: boolean;
}

const toNumber = (v: number | { toNumber(): number }): number => (typeof v === 'number' ? v : v.toNumber());

export function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch {
    throw unreadableModel('the file is not an ONNX model (its bytes are not a ModelProto)');
  }
  if (!model.graph || !model.graph.node?.length)
    throw unreadableModel('the file is not an ONNX model with a graph (no nodes found)');
  return model;
}

/** The values of a TensorProto; null for types an importer has no use for (strings, float16…). */
export function decodeTensor(t: OnnxTypes.ITensorProto): ConstTensor | null {
  const dims = (t.dims ?? []).map(toNumber);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.byteLength ? t.rawData : null;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  switch (t.dataType) {
    case DataType.FLOAT: {
      const data = new Float32Array(count);
      if (view) for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
      else data.set((t.floatData ?? []).slice(0, count));
      return { dims, data, float: true };
    }
    case DataType.DOUBLE: {
      const data = new Float32Array(count);
      if (view) for (let i = 0; i < count; i++) data[i] = view.getFloat64(i * 8, true);
      else data.set((t.doubleData ?? []).slice(0, count));
      return { dims, data, float: true };
    }
    case DataType.INT64: {
      const data: number[] = [];
      if (view) for (let i = 0; i < count; i++) data.push(Number(view.getBigInt64(i * 8, true)));
      else for (const v of t.int64Data ?? []) data.push(toNumber(v));
      return { dims, data, float: false };
    }
    case DataType.INT32: {
      const data: number[] = [];
      if (view) for (let i = 0; i < count; i++) data.push(view.getInt32(i * 4, true));
      else for (const v of t.int32Data ?? []) data.push(v);
      return { dims, data, float: false };
    }
    default:
      return null;
  }
}

/** A node's attributes by name, typed at the point of use. */
export class Attributes {
  private readonly byName = new Map<string, OnnxTypes.IAttributeProto>();
  constructor(attrs: OnnxTypes.IAttributeProto[] | null | undefined) {
    for (const a of attrs ?? []) if (a.name) this.byName.set(a.name, a);
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.i !== undefined && a.i !== null ? toNumber(a.i) : fallback;
  }
  /** ONNX float attributes are float32: 0.8999999761581421 is read back as the 0.9 that was written. */
  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.type === AttrType.FLOAT && a.f !== undefined && a.f !== null
      ? Number(a.f.toPrecision(7))
      : fallback;
  }
  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a?.type === AttrType.INTS ? (a.ints ?? []).map(toNumber) : undefined;
  }
  floats(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a?.type === AttrType.FLOATS ? [...(a.floats ?? [])] : undefined;
  }
  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }
  strings(name: string): string[] | undefined {
    const a = this.byName.get(name);
    return a?.type === AttrType.STRINGS
      ? (a.strings ?? []).map((s) => new TextDecoder().decode(s))
      : undefined;
  }
  tensor(name: string): OnnxTypes.ITensorProto | undefined {
    return this.byName.get(name)?.t ?? undefined;
  }
}
