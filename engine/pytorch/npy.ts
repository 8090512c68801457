// NumPy's .npy format (version 1.0), float32 little-endian, C order: the weight and data files of
// the PyTorch package, readable with numpy.load and nothing else.
import type { TensorData } from '../data/types.ts';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function encodeNpy(t: TensorData): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
  // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + t.data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, total);
  t.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

export class NpyError extends Error {}

/** float32 or float64 little-endian C-order arrays (what numpy.save writes for torch tensors). */
export function decodeNpy(bytes: Uint8Array, name: string): TensorData {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new NpyError(`${name} is not a NumPy .npy file.`);
  const major = bytes[6];
  const headerLen =
    major === 1
      ? bytes[8] | (bytes[9] << 8)
      : new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined || fortran || (descr !== '<f4' && descr !== '<f8'))
    throw new NpyError(
      `${name} holds ${descr ?? 'an unknown type'}${fortran ? ' in Fortran order' : ''}; expected float32 in C order.`,
    );
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const itemSize = descr === '<f4' ? 4 : 8;
  const body = start + headerLen;
  if (bytes.length < body + count * itemSize) throw new NpyError(`${name} is truncated.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + body, count * itemSize);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++)
    data[i] = itemSize === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  return { data, shape };
}
