// The data.inputs sentences shared by the engine (which refuses the project) and the editor's data
// panel (which shows the same sentence while the user assigns columns). Pure: no imports.

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** How many values a shape holds; NaN when a dimension is unknown or not positive. */
export function shapeSize(shape: readonly number[]): number {
  return shape.every((d) => Number.isInteger(d) && d > 0) ? shape.reduce((a, d) => a * d, 1) : NaN;
}

/** The refusal when an Input's shape does not hold its columns' encoded width, else null. */
export function inputWidthProblem(
  id: string,
  shape: readonly number[],
  columns: readonly string[],
  width: number,
): string | null {
  if (shapeSize(shape) === width) return null;
  return `The Input node "${id}" has shape [${shape.join(',')}], but its columns ${columns.join(', ')} encode to ${width} value${width === 1 ? '' : 's'}; set its shape to [${width}].`;
}

/** The refusal when some Input nodes get no columns. */
export function inputsWithoutColumnsProblem(missing: readonly string[]): string {
  return `data.inputs has no columns for the Input node${missing.length > 1 ? 's' : ''} ${quoted([...missing])}; list the columns each Input receives.`;
}
