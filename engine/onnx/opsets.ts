// Opset range and the IR version that goes with each opset (onnx/docs/Versioning.md).

export const DEFAULT_OPSET = 17;
export const MIN_OPSET = 13;
/** The highest opset onnxruntime-node 1.30 loads whose IR version is settled (ONNX 1.18). */
export const MAX_OPSET = 23;

export function irVersionFor(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}

export function opsetProblem(opset: number): string | null {
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    return `The ONNX opset must be a whole number from ${MIN_OPSET} to ${MAX_OPSET} (it is ${opset}).`;
  }
  return null;
}
