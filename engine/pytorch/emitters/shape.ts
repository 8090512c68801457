// Flatten, Reshape and the global poolings.
import { registerTorch } from '../registry.ts';

registerTorch('Flatten', {
  // tfjs flattens in channels-last order, which the following Dense's weights expect.
  inputLayout: () => 'tf',
  forward: (_n, [x]) => ({ expr: `torch.flatten(${x}, 1)` }),
});

registerTorch('Reshape', {
  check: (n) =>
    n.outputShape.filter((d) => d === null).length > 1
      ? ['a target shape with more than one size unknown until run time cannot be written as a fixed reshape']
      : [],
  inputLayout: () => 'tf',
  forward: (n, [x]) => ({
    expr: `${x}.reshape(${[`${x}.shape[0]`, ...n.outputShape.map((d) => String(d ?? -1))].join(', ')})`,
  }),
});

registerTorch('Permute', {
  inputLayout: () => 'tf',
  forward: (n, [x]) => ({ expr: `${x}.permute(0, ${(n.params.dims as number[]).join(', ')})` }),
});

registerTorch('RepeatVector', {
  inputLayout: () => 'tf',
  forward: (n, [x]) => ({ expr: `${x}.unsqueeze(1).expand(-1, ${n.params.n}, -1)` }),
});

const globalPool = (type: string, reduce: 'mean' | 'amax', spatialAxes: number) =>
  registerTorch(type, {
    inputLayout: () => 'keep',
    forward: (_n, [x], layout) => {
      const first = layout === 'cf' ? 2 : 1;
      const dims = Array.from({ length: spatialAxes }, (_, i) => first + i);
      const dim = dims.length === 1 ? String(dims[0]) : `(${dims.join(', ')})`;
      return { expr: `${x}.${reduce}(dim=${dim})`, layout: 'tf' };
    },
  });
globalPool('GlobalAveragePooling1D', 'mean', 1);
globalPool('GlobalAveragePooling2D', 'mean', 2);
globalPool('GlobalMaxPooling1D', 'amax', 1);
globalPool('GlobalMaxPooling2D', 'amax', 2);
globalPool('GlobalAveragePooling3D', 'mean', 3);
globalPool('GlobalMaxPooling3D', 'amax', 3);
